import { scopeMatcher, type ScopeMatcher, type Snapshot, type Welcome } from '@shuttle-cti/protocol';
import type { HubConfig } from '../config.js';
import type { CallControlService } from '../core/call-control.js';
import type { Fanout } from '../core/fanout.js';
import type { ScopeFloors } from '../core/scope-floors.js';
import type { SupervisorOut } from '../core/supervisor-out.js';
import { createRateLimiter } from '../rate-limiter.js';
import { requireRole, type RoleCheckDeps } from './auth.js';
import { callControlCommandsOf, registerCallControl } from './call-control.js';
import { refuseOthers, type CommandDeps } from './commands.js';
import { scopedSnapshot, type ScopedSnapshotDeps } from './supervisor-snapshot.js';
import { emitEvent, supervisorsOf, type HubServer } from './typed.js';

export interface SupervisorDeps extends RoleCheckDeps, CommandDeps, ScopedSnapshotDeps {
  config: Pick<HubConfig, 'authFailures' | 'trustLoopbackIntegrations' | 'limits' | 'snapshotRealtimeRows' | 'live' | 'pauseReasons'>;
  /** The floor (calls, counters) of each scope with a supervisor connected here. */
  scopeFloors: ScopeFloors;
  supervisorOut: SupervisorOut;
  fanout: Fanout;
  callControl: CallControlService;
  /** Newest seq published by this hub. */
  lastSeq(): number;
}

/** `/supervisor`: dashboards get a snapshot, then everything live (a scoped token: its scope's share). */
export function setupSupervisors(io: HubServer, ctx: SupervisorDeps): void {
  const nsp = supervisorsOf(io);
  requireRole(nsp, 'supervisor', ctx);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    ctx.metrics.sessions.inc({ role: 'supervisor' });
    refuseOthers(socket, callControlCommandsOf.supervisor, 'supervisor');
    registerCallControl(socket, ctx, 'supervisor', createRateLimiter(ctx.config.limits.commandsPerSecond));
    /** The scope whose rooms and floor the socket holds now (undefined: none yet). */
    let held: { scope: ScopeMatcher | null } | undefined;
    let subscribed = false;
    const release = (): void => {
      if (held === undefined) return;
      ctx.supervisorOut.leave(socket, held.scope);
      if (held.scope !== null) ctx.scopeFloors.release(held.scope);
      held = undefined;
    };
    socket.on('disconnect', () => {
      ctx.fanout.remove(socket.id);
      release();
      ctx.metrics.sessions.dec({ role: 'supervisor' });
    });

    /** Welcome and snapshot for the session's scope now; the first time also subscribes to the live stream. */
    const welcome = async (): Promise<void> => {
      const scope = data.scope;
      const floor = scope === null ? undefined : await ctx.scopeFloors.acquire(scope);
      const realtime = scope === null ? await ctx.store.listRealtime({ limit: ctx.config.snapshotRealtimeRows }) : await scopedSnapshot.realtime(ctx, scope);
      if (socket.disconnected || data.scope !== scope) {
        if (scope !== null) ctx.scopeFloors.release(scope);
        return;
      }
      // From here to the subscription everything happens in one tick, so no live event
      // falls between the snapshot and the stream. Bounded (live.snapshotBytes), so a
      // floor flooded with calls cannot stall the hub.
      release();
      held = { scope };
      const bounded = scope === null || floor === undefined ? ctx.tracker.snapshot(ctx.config.live.snapshotBytes) : scopedSnapshot.floor(ctx, scope, floor);
      if (bounded.omittedCalls + bounded.omittedAgents > 0) ctx.metrics.snapshotsTruncated.inc();
      const snapshot: Snapshot = { calls: bounded.calls, agents: bounded.agents, realtime, stats: bounded.stats, lastSeq: ctx.lastSeq() };
      const hello: Welcome = { protocol: 1, role: 'supervisor', name: data.name, lastSeq: snapshot.lastSeq, callControl: ctx.callControl.available, pauseReasons: ctx.config.pauseReasons };
      if (scope !== null) hello.scope = scope.scope;
      socket.emit('welcome', hello);
      socket.emit('snapshot', snapshot);
      ctx.supervisorOut.join(socket, scope);
      if (subscribed) {
        ctx.fanout.setScope(socket.id, scope);
        return;
      }
      subscribed = true;
      await ctx.fanout.add(
        {
          id: socket.id,
          namespace: '/supervisor',
          scope,
          send: (event) => emitEvent(socket, event),
          truncated: (info) => socket.emit('replay_truncated', info),
        },
        data.lastSeq ?? snapshot.lastSeq,
      );
    };
    const fail = (error: unknown): void => {
      ctx.logger.error({ err: error }, 'supervisor snapshot failed');
      socket.emit('cti_error', { code: 'UNAVAILABLE', message: 'snapshot unavailable; reconnecting', command: 'snapshot' });
      socket.disconnect(true);
    };
    // A changed scope (token re-check): a new welcome and snapshot, then the stream of the new scope.
    data.rescope = (scope) => {
      data.scope = scope === null ? null : scopeMatcher(scope);
      welcome().catch(fail);
    };
    welcome().catch(fail);
  });
}
