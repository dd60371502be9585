import { randomUUID } from 'node:crypto';
import type { CommandAck, RealtimeCtiCommand, RealtimeRow } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';
import type { Metrics } from '../metrics.js';
import type { SupervisorOut } from './supervisor-out.js';

/** What adding a row touches: the store, the counter, the supervisors. */
export interface RealtimeRowDeps {
  store: Store;
  metrics: Metrics;
  supervisorOut: SupervisorOut;
}

/**
 * Carries out a RealtimeCTI command (an integration's socket or a webhook's answer): stores
 * the row and shows it to the supervisors. An id already used is the same row sent again
 * (a retry): not stored nor shown twice.
 */
export async function addRealtimeRow(ctx: RealtimeRowDeps, c: RealtimeCtiCommand): Promise<CommandAck & { duplicate?: true }> {
  const channel = { ...c.channel };
  channel['time'] ??= new Date().toISOString();
  const row: RealtimeRow = {
    id: c.id ?? randomUUID(),
    type: c.type,
    channel,
    reference: c.reference,
    url: c.url ?? '',
    time: new Date().toISOString(),
  };
  if (!(await ctx.store.addRealtime(row))) return { ok: true, id: row.id, delivered: 0, queued: 0, duplicate: true };
  ctx.metrics.commandsRouted.inc({ command: 'RealtimeCTI' });
  ctx.supervisorOut.realtime(row);
  return { ok: true, id: row.id, delivered: 0, queued: 0 };
}
