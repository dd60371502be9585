import { scopeMatcher } from '@shuttle-cti/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubConfig } from '../config.js';
import type { ScopeIndex } from '../core/scope-index.js';
import { requireBearer, type BearerAuth } from '../http/errors.js';
import { agentReport, queueReport } from './compute.js';
import { agentColumns, queueColumns, toCsv } from './csv.js';
import { parseReportParams, type ReportParams } from './params.js';
import { systemTimeZone } from './time-zone.js';

/** Protocol 1.2 "Reports": supervisor or admin tokens (an admin token is never scoped: every row). */
const reportRoles = ['supervisor', 'admin'] as const;

export interface ReportsDeps extends BearerAuth {
  config: Pick<HubConfig, 'authFailures' | 'limits' | 'reports'>;
  /** Queue membership, for a scoped token's agent rows. */
  scopes: ScopeIndex;
}

/** `GET /api/v1/reports/queues` and `/agents` (docs/PROTOCOL.md, Reports), for supervisor and admin tokens. */
export function registerReports(app: FastifyInstance, ctx: ReportsDeps): void {
  const settings = ctx.config.reports;
  const params = (request: FastifyRequest): ReportParams =>
    parseReportParams((request.query ?? {}) as Record<string, unknown>, {
      timeZone: settings.timeZone ?? systemTimeZone(),
      sla: settings.sla,
      nowMs: Date.now(),
    });
  const wantsCsv = (request: FastifyRequest, p: ReportParams): boolean =>
    p.format === 'csv' || (request.headers.accept ?? '').split(',').some((t) => t.trim().toLowerCase().startsWith('text/csv'));
  const head = (p: ReportParams) => ({
    from: new Date(p.fromMs).toISOString(),
    to: new Date(p.toMs).toISOString(),
    interval: p.interval,
    timeZone: p.timeZone,
    sla: p.sla,
  });
  const csv = (reply: FastifyReply, name: string, body: string): FastifyReply =>
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);

  app.get('/api/v1/reports/queues', async (request, reply) => {
    const token = await requireBearer(ctx, request, reportRoles);
    const p = params(request);
    const all = await queueReport(ctx.store, p);
    // A scoped token (protocol 1.2): the rows of its queues only.
    const scope = token.scope === null ? null : scopeMatcher(token.scope);
    const rows = scope === null ? all : all.filter((row) => scope.queues.has(row.queue));
    if (wantsCsv(request, p)) return csv(reply, 'queues', toCsv(queueColumns, rows));
    return { ...head(p), target: { serviceLevel: settings.serviceLevelTarget, sla: settings.sla }, rows };
  });

  app.get('/api/v1/reports/agents', async (request, reply) => {
    const token = await requireBearer(ctx, request, reportRoles);
    const p = params(request);
    const all = await agentReport(ctx.store, p);
    // A scoped token: the agents it names or that are members of its queues.
    const scope = token.scope === null ? null : scopeMatcher(token.scope);
    const rows = scope === null ? all : all.filter((row) => ctx.scopes.peerInScope(scope, row.peer));
    if (wantsCsv(request, p)) return csv(reply, 'agents', toCsv(agentColumns, rows));
    return { ...head(p), rows };
  });
}
