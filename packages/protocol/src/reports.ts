import { z } from 'zod';

/** One row of `GET /api/v1/reports/queues` (definitions in docs/PROTOCOL.md, Reports). */
export const queueReportRow = z.object({
  queue: z.string(),
  from: z.string(),
  to: z.string(),
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  answeredWithinSla: z.number(),
  serviceLevel: z.number().nullable(),
  asa: z.number().nullable(),
  aht: z.number().nullable(),
  maxWait: z.number().nullable(),
  abandonRate: z.number().nullable(),
});
export type QueueReportRow = z.infer<typeof queueReportRow>;

/** One row of `GET /api/v1/reports/agents`. */
export const agentReportRow = z.object({
  peer: z.string(),
  agentname: z.string(),
  from: z.string(),
  to: z.string(),
  offered: z.number(),
  answered: z.number(),
  ringNoAnswer: z.number(),
  talkSeconds: z.number(),
  aht: z.number().nullable(),
  outbound: z.number(),
  pausedSeconds: z.number(),
});
export type AgentReportRow = z.infer<typeof agentReportRow>;

export const reportIntervals = ['hour', 'day', 'total'] as const;

/** What both reports answer besides their rows: the range and settings they were computed with. */
const reportHead = {
  from: z.string(),
  to: z.string(),
  interval: z.enum(reportIntervals),
  timeZone: z.string(),
  sla: z.number(),
};

/** `GET /api/v1/reports/queues` (JSON). */
export const queueReport = z.object({
  ...reportHead,
  /** The service-level target the dashboard compares against (`reports.serviceLevelTarget`). */
  target: z.object({ serviceLevel: z.number(), sla: z.number() }),
  rows: z.array(queueReportRow),
});
export type QueueReport = z.infer<typeof queueReport>;

/** `GET /api/v1/reports/agents` (JSON). */
export const agentReport = z.object({ ...reportHead, rows: z.array(agentReportRow) });
export type AgentReport = z.infer<typeof agentReport>;
