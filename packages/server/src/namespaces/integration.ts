import {
  agentCtiCommand,
  agentCtiNotificationCommand,
  customVariablesRequest,
  realtimeCtiCommand,
  type CommandAck,
  type RealtimeRow,
  type VariablesAck,
  type Welcome,
} from '@shuttle-cti/protocol';
import { randomUUID } from 'node:crypto';
import type { HubContext } from '../context.js';
import { guardsOf } from '../guards.js';
import { requireRole } from './auth.js';
import { callControlCommandsOf, registerCallControl } from './call-control.js';
import { createRateLimiter, onCommand, refuseOthers } from './commands.js';
import { emitEvent, integrationsOf, supervisorsOf } from './typed.js';

const commands = ['AgentCTI', 'AgentCTINotification', 'RealtimeCTI', 'CustomVariables'] as const;

/** `/`: integrations receive call events and send the three commands. */
export function setupIntegrations(ctx: HubContext): void {
  const nsp = integrationsOf(ctx.io);
  requireRole(nsp, 'integration', ctx);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    ctx.metrics.sessions.inc({ role: 'integration' });
    ctx.logger.info({ session: socket.id, name: data.name, lastSeq: data.lastSeq }, 'integration connected');
    // Per connection and per token: more connections do not buy more commands.
    const perConnection = createRateLimiter(ctx.config.limits.commandsPerSecond);
    const guards = guardsOf(ctx);
    const tokenKey = data.tokenId ?? 'loopback';
    const allow = (): boolean => perConnection() && guards.tokenCommand(tokenKey);
    refuseOthers(socket, [...commands, ...callControlCommandsOf.integration], 'integration');
    registerCallControl(socket, ctx, 'integration', allow);

    onCommand(socket, ctx, 'AgentCTI', agentCtiCommand, allow, (c) => ctx.router.wakeup(c));
    onCommand(socket, ctx, 'AgentCTINotification', agentCtiNotificationCommand, allow, (c) => ctx.router.notify(c));
    onCommand(socket, ctx, 'RealtimeCTI', realtimeCtiCommand, allow, async (c): Promise<CommandAck> => {
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
      // An id already used is the same row sent again (a retry): not stored nor shown twice.
      if (!(await ctx.store.addRealtime(row))) return { ok: true, id: row.id, delivered: 0, queued: 0, duplicate: true };
      ctx.metrics.commandsRouted.inc({ command: 'RealtimeCTI' });
      supervisorsOf(ctx.io).to('supervisors').emit('RealtimeCTI', row);
      return { ok: true, id: row.id, delivered: 0, queued: 0 };
    });
    onCommand(socket, ctx, 'CustomVariables', customVariablesRequest, allow, async ({ uniqueid }): Promise<VariablesAck> => ({
      ok: true,
      variables: await ctx.variables.get(uniqueid),
    }));

    const welcome: Welcome = { protocol: 1, role: 'integration', name: data.name, lastSeq: ctx.lastSeq(), callControl: ctx.callControl?.available ?? false };
    socket.emit('welcome', welcome);
    ctx.fanout
      .add(
        {
          id: socket.id,
          namespace: '/',
          send: (event) => emitEvent(socket, event),
          truncated: (info) => socket.emit('replay_truncated', info),
        },
        data.lastSeq,
      )
      .catch(() => socket.disconnect(true));

    socket.on('disconnect', (reason) => {
      ctx.fanout.remove(socket.id);
      ctx.metrics.sessions.dec({ role: 'integration' });
      ctx.logger.info({ session: socket.id, name: data.name, reason }, 'integration disconnected');
    });
  });
}
