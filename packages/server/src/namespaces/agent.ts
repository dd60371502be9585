import { ErrorCode, agentAck, type AgentAckResult, type Welcome } from '@shuttle-cti/protocol';
import type { HubContext } from '../context.js';
import type { AgentSession } from '../core/router.js';
import { guardsOf } from '../guards.js';
import { requireRole } from './auth.js';
import { callControlEntries } from './call-control.js';
import { createRateLimiter, dispatchCommands, type CommandEntry } from './commands.js';
import { agentsOf } from './typed.js';

export const peerRoom = (peer: string): string => `peer:${peer}`;

/** `/agent`: agent panels receive their peer's commands and call events, and acknowledge. */
export function setupAgents(ctx: HubContext): void {
  const nsp = agentsOf(ctx.io);
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
  const commands = new Map<string, CommandEntry>([['ack', ack], ...callControlEntries(ctx, 'agent')]);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    const peer = data.peer ?? '';
    ctx.metrics.sessions.inc({ role: 'agent' });
    void socket.join(peerRoom(peer));
    // Per connection and per token: more connections do not buy more commands.
    const perConnection = createRateLimiter(ctx.config.limits.commandsPerSecond);
    const guards = guardsOf(ctx);
    const tokenKey = data.tokenId ?? 'loopback';
    dispatchCommands(socket, ctx, commands, () => perConnection() && guards.tokenCommand(tokenKey), 'agent');

    const welcome: Welcome = {
      protocol: 1,
      role: 'agent',
      name: data.name,
      peer,
      lastSeq: ctx.lastSeq(),
      callControl: ctx.callControl?.available ?? false,
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
function presence(ctx: HubContext, peer: string): void {
  const local = ctx.router.sessionsOf(peer);
  ctx.cluster?.sessionsChanged(peer, local);
  const update = ctx.tracker.setSessions(peer, local + (ctx.cluster?.remoteSessions(peer) ?? 0));
  ctx.supervisorOut.agent(update);
}
