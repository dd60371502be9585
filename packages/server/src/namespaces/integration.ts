import {
  agentCtiCommand,
  agentCtiNotificationCommand,
  customVariablesRequest,
  realtimeCtiCommand,
  scopeMatcher,
  type VariablesAck,
  type Welcome,
} from '@shuttle-cti/protocol';
import type { HubConfig } from '../config.js';
import type { CallControlService } from '../core/call-control.js';
import type { Fanout } from '../core/fanout.js';
import { addRealtimeRow, type RealtimeRowDeps } from '../core/realtime-rows.js';
import type { Router } from '../core/router.js';
import type { ScopeIndex } from '../core/scope-index.js';
import type { VariablesService } from '../core/variables.js';
import { createRateLimiter } from '../rate-limiter.js';
import { requireRole, type RoleCheckDeps } from './auth.js';
import { callControlCommandsOf, registerCallControl } from './call-control.js';
import { onCommand, refuseOthers, type CommandDeps } from './commands.js';
import { checkIntegrationScope } from './integration-scope.js';
import { emitEvent, integrationsOf, type HubServer } from './typed.js';

const commands = ['AgentCTI', 'AgentCTINotification', 'RealtimeCTI', 'CustomVariables'] as const;

export interface IntegrationDeps extends RoleCheckDeps, CommandDeps, RealtimeRowDeps {
  config: Pick<HubConfig, 'authFailures' | 'trustLoopbackIntegrations' | 'limits'>;
  router: Router;
  variables: VariablesService;
  fanout: Fanout;
  /** Queue membership and calls seen, for a scoped token's commands. */
  scopes: ScopeIndex;
  callControl: CallControlService;
  /** Newest seq published by this hub. */
  lastSeq(): number;
}

/** `/`: integrations receive call events and send the three commands. */
export function setupIntegrations(io: HubServer, ctx: IntegrationDeps): void {
  const nsp = integrationsOf(io);
  requireRole(nsp, 'integration', ctx);

  nsp.on('connection', (socket) => {
    const data = socket.data;
    ctx.metrics.sessions.inc({ role: 'integration' });
    ctx.logger.info({ session: socket.id, name: data.name, lastSeq: data.lastSeq }, 'integration connected');
    // Per connection and per token: more connections do not buy more commands.
    const perConnection = createRateLimiter(ctx.config.limits.commandsPerSecond);
    const { guards } = ctx;
    const tokenKey = data.tokenId ?? 'loopback';
    const allow = (): boolean => perConnection() && guards.tokenCommand(tokenKey);
    refuseOthers(socket, [...commands, ...callControlCommandsOf.integration], 'integration');
    registerCallControl(socket, ctx, 'integration', allow);

    // Scoped tokens (protocol 1.2): commands outside the scope are FORBIDDEN (src/namespaces/integration-scope.ts).
    const scoped = checkIntegrationScope(ctx.scopes, data);
    onCommand(socket, ctx, 'AgentCTI', agentCtiCommand, allow, async (c) => {
      scoped.peer(c.peer);
      return ctx.router.wakeup(c);
    });
    onCommand(socket, ctx, 'AgentCTINotification', agentCtiNotificationCommand, allow, async (c) => {
      scoped.peer(c.peer);
      return ctx.router.notify(c);
    });
    onCommand(socket, ctx, 'RealtimeCTI', realtimeCtiCommand, allow, (c) => {
      scoped.row(c.channel);
      return addRealtimeRow(ctx, c);
    });
    onCommand(socket, ctx, 'CustomVariables', customVariablesRequest, allow, async ({ uniqueid }): Promise<VariablesAck> => {
      scoped.call(uniqueid);
      return { ok: true, variables: await ctx.variables.get(uniqueid) };
    });

    const welcome: Welcome = { protocol: 1, role: 'integration', name: data.name, lastSeq: ctx.lastSeq(), callControl: ctx.callControl.available };
    if (data.scope !== null) welcome.scope = data.scope.scope;
    // A changed scope applies from the next event; integrations get no new welcome.
    data.rescope = (scope) => {
      data.scope = scope === null ? null : scopeMatcher(scope);
      ctx.fanout.setScope(socket.id, data.scope);
    };
    socket.emit('welcome', welcome);
    ctx.fanout
      .add(
        {
          id: socket.id,
          namespace: '/',
          scope: data.scope,
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
