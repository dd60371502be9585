import { ErrorCode, agentAck, type AgentAckResult, type Welcome } from '@shuttle-cti/protocol';
import type { HubConfig } from '../config.js';
import type { CallControlService } from '../core/call-control.js';
import type { CallTracker } from '../core/call-tracker.js';
import type { SessionCount } from '../core/cluster-link.js';
import type { AgentSession, Router } from '../core/router.js';
import type { SupervisorOut } from '../core/supervisor-out.js';
import { createRateLimiter } from '../rate-limiter.js';
import { requireRole, type RoleCheckDeps } from './auth.js';
import { callControlEntries } from './call-control.js';
import { dispatchCommands, type CommandDeps, type CommandEntry } from './commands.js';
import { agentsOf, type HubServer } from './typed.js';

export const peerRoom = (peer: string): string => `peer:${peer}`;

export interface AgentDeps extends RoleCheckDeps, CommandDeps {
  config: Pick<HubConfig, 'authFailures' | 'trustLoopbackIntegrations' | 'limits' | 'pauseReasons' | 'agentsManageQueues'>;
  router: Router;
  /** The agent's own state for its welcome, and its presence when sessions come and go. */
  tracker: CallTracker;
  supervisorOut: SupervisorOut;
  /** Sessions counted across hubs (src/cluster), or on this hub alone. */
  sessions: SessionCount;
  callControl: CallControlService;
  /** Newest seq published by this hub. */
  lastSeq(): number;
}

/** `/agent`: agent panels receive their peer's commands and call events, and acknowledge. */
export function setupAgents(io: HubServer, ctx: AgentDeps): void {
  const nsp = agentsOf(io);
  requireRole(nsp, 'agent', ctx);
  // Built once: every agent socket has one listener for all of them (src/namespaces/commands.ts).
  const ack: CommandEntry = {
    schema: agentAck,
    async handle(payload, session): Promise<AgentAckResult> {
      const { id } = payload as { id: string };
      return (await ctx.router.acknowledge(id, session.peer ?? ''))
        ? { ok: true }
        : { ok: false, error: { code: ErrorCode.NOT_FOUND, message: `no unacknowledged command with id ${id}` } };
    },
  };
  const commands = new Map<string, CommandEntry>([['ack', ack], ...callControlEntries(ctx.callControl, 'agent')]);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    const peer = data.peer ?? '';
    ctx.metrics.sessions.inc({ role: 'agent' });
    void socket.join(peerRoom(peer));
    // Per connection and per token: more connections do not buy more commands.
    const perConnection = createRateLimiter(ctx.config.limits.commandsPerSecond);
    const { guards } = ctx;
    const tokenKey = data.tokenId ?? 'loopback';
    dispatchCommands(socket, ctx, commands, () => perConnection() && guards.tokenCommand(tokenKey), 'agent');

    const welcome: Welcome = {
      protocol: 1,
      role: 'agent',
      name: data.name,
      peer,
      lastSeq: ctx.lastSeq(),
      callControl: ctx.callControl.available,
      pauseReasons: ctx.config.pauseReasons,
      agentsManageQueues: ctx.config.agentsManageQueues,
    };
    const own = ctx.tracker.ownState(peer);
    if (own) welcome.agent = own;
    socket.emit('welcome', welcome);

    const session: AgentSession = {
      id: socket.id,
      peer,
      sent: new Set(),
      send: (delivery) => (delivery.kind === 'AgentCTI' ? socket.emit('AgentCTI', delivery.payload) : socket.emit('AgentCTINotification', delivery.payload)),
    };
    ctx.router.attach(session).catch((error: unknown) => {
      ctx.logger.error({ err: error, peer }, 'could not deliver queued commands');
    });
    presence(ctx, peer);
    ctx.logger.debug({ session: socket.id, peer }, 'agent connected');

    socket.on('disconnect', () => {
      ctx.router.detach(session);
      ctx.metrics.sessions.dec({ role: 'agent' });
      presence(ctx, peer);
    });
  });
}

/** Sessions are counted across hubs; each hub tells its own supervisors (src/cluster). */
function presence(ctx: AgentDeps, peer: string): void {
  const update = ctx.tracker.setSessions(peer, ctx.sessions.changed(peer, ctx.router.sessionsOf(peer)));
  ctx.supervisorOut.agent(update);
}
