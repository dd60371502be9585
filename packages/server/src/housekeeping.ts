import type { HubContext } from './context.js';

/**
 * Periodic chores: expire agent commands, prune old events and variables, and re-check
 * the tokens of connected sessions so a revoked token disconnects them.
 * Returns a function that stops them.
 */
export function startHousekeeping(ctx: HubContext): () => void {
  const { config, logger, store } = ctx;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, task: () => Promise<unknown>, what: string): void => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => logger.warn({ err: error }, `${what} failed`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  every(config.outbox.sweepIntervalMs, () => ctx.router.sweep(), 'outbox sweep');
  every(
    config.retention.sweepIntervalMs,
    async () => {
      const now = Date.now();
      const events = await store.pruneEventsBefore(new Date(now - config.retention.eventsMs).toISOString());
      const calls = await store.pruneVariablesBefore(new Date(now - config.retention.variablesMs).toISOString());
      const realtime = await store.pruneRealtimeBefore(new Date(now - config.retention.realtimeMs).toISOString());
      if (realtime > 0) logger.info({ realtime }, 'retention: pruned old Integration Realtime rows');
      if (events + calls > 0) logger.info({ events, calls }, 'retention: pruned old events and variables');
      const summaries = await store.pruneCallsBefore(new Date(now - config.retention.callsMs).toISOString());
      if (summaries > 0) logger.info({ summaries }, 'retention: pruned old call summaries');
    },
    'retention sweep',
  );
  // Calls that lost their end event and agents long offline leave the live view; the
  // agents those calls held are shown free to the dashboards.
  every(
    config.live.sweepIntervalMs,
    async () => {
      const expired = ctx.tracker.expire();
      const supervisors = ctx.io.of('/supervisor').local.to('supervisors');
      for (const presence of expired.changed) supervisors.emit('agent', presence);
      if (expired.calls + expired.agents > 0) logger.info({ calls: expired.calls, agents: expired.agents }, 'live view: dropped stale calls and offline agents');
    },
    'live view sweep',
  );
  every(config.tokenRecheckMs, () => recheckTokens(ctx), 'token re-check');

  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}

/**
 * One store query per check, however many sessions: the ids of the tokens still active.
 * (A lookup per session stalled the event loop for 100–170 ms with 10,000 agents.)
 */
async function recheckTokens(ctx: HubContext): Promise<void> {
  const sessions: { id: string; disconnect(close: boolean): unknown; emit(event: string, data: unknown): unknown }[] = [];
  const ids: string[] = [];
  for (const name of ['/', '/agent', '/supervisor']) {
    for (const socket of ctx.io.of(name).sockets.values()) {
      const id = (socket.data as { tokenId?: string | null }).tokenId;
      if (!id) continue;
      sessions.push(socket);
      ids.push(id);
    }
  }
  if (sessions.length === 0) return;
  const active = new Set((await ctx.store.listTokens()).filter((t) => t.revokedAt === null).map((t) => t.id));
  let cut = 0;
  for (const [i, socket] of sessions.entries()) {
    if (active.has(ids[i] ?? '')) continue;
    socket.emit('cti_error', { code: 'UNAUTHORIZED', message: 'token revoked', command: 'auth' });
    socket.disconnect(true);
    cut++;
  }
  if (cut > 0) ctx.logger.info({ sessions: cut }, 'token revoked: disconnected its sessions');
}
