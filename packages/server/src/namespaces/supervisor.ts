import type { Snapshot, Welcome } from '@shuttle-cti/protocol';
import type { HubContext } from '../context.js';
import { requireRole } from './auth.js';
import { callControlCommandsOf, registerCallControl } from './call-control.js';
import { createRateLimiter, refuseOthers } from './commands.js';
import { emitEvent, supervisorsOf } from './typed.js';

/** `/supervisor`: dashboards get a snapshot, then everything live; they send nothing. */
export function setupSupervisors(ctx: HubContext): void {
  const nsp = supervisorsOf(ctx.io);
  requireRole(nsp, 'supervisor', ctx);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    ctx.metrics.sessions.inc({ role: 'supervisor' });
    refuseOthers(socket, callControlCommandsOf.supervisor, 'supervisor');
    registerCallControl(socket, ctx, 'supervisor', createRateLimiter(ctx.config.limits.commandsPerSecond));
    socket.on('disconnect', () => {
      ctx.fanout.remove(socket.id);
      ctx.metrics.sessions.dec({ role: 'supervisor' });
    });

    ctx.store
      .listRealtime({ limit: ctx.config.snapshotRealtimeRows })
      .then(async (realtime) => {
        if (socket.disconnected) return;
        // Snapshot and subscription happen in one tick, so no live event falls between them.
        // Bounded (live.snapshotBytes), so a floor flooded with calls cannot stall the hub.
        const floor = ctx.tracker.snapshot(ctx.config.live.snapshotBytes);
        if (floor.omittedCalls + floor.omittedAgents > 0) ctx.metrics.snapshotsTruncated.inc();
        const snapshot: Snapshot = {
          calls: floor.calls,
          agents: floor.agents,
          realtime,
          stats: floor.stats,
          lastSeq: ctx.lastSeq(),
        };
        const welcome: Welcome = { protocol: 1, role: 'supervisor', name: data.name, lastSeq: snapshot.lastSeq, callControl: ctx.callControl?.available ?? false, pauseReasons: ctx.config.pauseReasons };
        socket.emit('welcome', welcome);
        socket.emit('snapshot', snapshot);
        void socket.join('supervisors');
        await ctx.fanout.add(
          {
            id: socket.id,
            namespace: '/supervisor',
            send: (event) => emitEvent(socket, event),
            truncated: (info) => socket.emit('replay_truncated', info),
          },
          data.lastSeq ?? snapshot.lastSeq,
        );
      })
      .catch((error: unknown) => {
        ctx.logger.error({ err: error }, 'supervisor snapshot failed');
        socket.emit('cti_error', { code: 'UNAVAILABLE', message: 'snapshot unavailable; reconnecting', command: 'snapshot' });
        socket.disconnect(true);
      });
  });
}
