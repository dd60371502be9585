import { agentReport, errorAnswer, queueReport, type AgentReport, type QueueReport } from '@shuttle-cti/protocol';
import { readAnswer } from '../common/http-answer.js';
/** Rows of GET /api/v1/reports/queues and /agents, as the protocol defines them. */
export type { AgentReportRow as AgentRow, QueueReportRow as QueueRow } from '@shuttle-cti/protocol';

export interface ReportQuery {
  /** Dates (YYYY-MM-DD), whole days in the hub's report time zone. */
  from: string;
  to: string;
  interval: 'hour' | 'day' | 'total';
  sla: number;
}

export interface ReportHead {
  from: string;
  to: string;
  interval: string;
  timeZone: string;
  sla: number;
}

export interface ReportsApi {
  queues(q: ReportQuery): Promise<QueueReport>;
  agents(q: ReportQuery): Promise<AgentReport>;
  /** The report as CSV text (fetched with the token, saved by the page as a file). */
  csv(kind: 'queues' | 'agents', q: ReportQuery): Promise<string>;
}

const params = (q: ReportQuery): string => new URLSearchParams({ from: q.from, to: q.to, interval: q.interval, sla: String(q.sla) }).toString();

/** The reports routes, with the supervisor token; `base` is the hub in use ('' for the page's origin). */
export function createReportsApi(token: string, base: () => string = () => ''): ReportsApi {
  const get = async (path: string, accept: string): Promise<Response> => {
    const response = await fetch(`${base()}${path}`, { headers: { authorization: `Bearer ${token}`, accept }, cache: 'no-store' });
    if (!response.ok) {
      const error = errorAnswer.safeParse(await response.json().catch(() => undefined));
      throw new Error(error.success ? error.data.error.message : `the hub answered ${response.status}`);
    }
    return response;
  };
  return {
    async queues(q) {
      return readAnswer(await get(`/api/v1/reports/queues?${params(q)}`, 'application/json'), queueReport);
    },
    async agents(q) {
      return readAnswer(await get(`/api/v1/reports/agents?${params(q)}`, 'application/json'), agentReport);
    },
    async csv(kind, q) {
      return (await get(`/api/v1/reports/${kind}?${params(q)}`, 'text/csv')).text();
    },
  };
}
