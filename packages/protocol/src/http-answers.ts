import { z } from 'zod';
import { failedAck, realtimeRow } from './commands.js';
import { streamEvent } from './stream.js';

/**
 * The answers of the HTTP API (docs/PROTOCOL.md), so that clients parse them with the
 * schema the OpenAPI document is generated from. Errors are `errorAnswer` (errors.ts);
 * call control answers with the acks (call-control.ts), reports in reports.ts.
 */

/** One event of `POST /api/v1/events`: its `seq`, or why it was refused. */
export const ingestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    seq: z.number().int(),
    /** The `eventid` was accepted before: `seq` is the original's, nothing was stored again. */
    duplicate: z.literal(true).exactOptional(),
  }),
  failedAck,
]);
export type IngestResult = z.infer<typeof ingestResult>;

/** `POST /api/v1/events` with an array: one result per event, in order. */
export const ingestBatch = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  results: z.array(ingestResult),
});
export type IngestBatch = z.infer<typeof ingestBatch>;

/** `GET /api/v1/events`: events after `after`, oldest first. */
export const eventsPage = z.object({ events: z.array(streamEvent) });
export type EventsPage = z.infer<typeof eventsPage>;

/** `POST /api/v1/calls/{uniqueid}/variables`: the call's variables after the merge. */
export const variablesAnswer = z.object({
  ok: z.literal(true),
  uniqueid: z.string(),
  variables: z.record(z.string(), z.string()),
});
export type VariablesAnswer = z.infer<typeof variablesAnswer>;

/** `GET /api/v1/realtime`: Integration Realtime rows, newest first. */
export const realtimePage = z.object({ rows: z.array(realtimeRow) });
export type RealtimePage = z.infer<typeof realtimePage>;

/** `GET /healthz`. */
export const healthAnswer = z.object({ ok: z.literal(true) });

/** `GET /readyz`: the store answers. */
export const readyAnswer = z.object({ ok: z.literal(true), store: z.enum(['sqlite', 'postgres']) });
export type ReadyAnswer = z.infer<typeof readyAnswer>;
