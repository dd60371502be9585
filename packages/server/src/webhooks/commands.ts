import {
  CtiError,
  ErrorCode,
  agentCtiCommand,
  agentCtiNotificationCommand,
  callControlCommandNames,
  parseOrThrow,
  realtimeCtiCommand,
  scopeMatcher,
  toCtiError,
  type CallControlCommandName,
  type ScopeMatcher,
} from '@shuttle-cti/protocol';
import type { CallControlService } from '../core/call-control.js';
import { addRealtimeRow, type RealtimeRowDeps } from '../core/realtime-rows.js';
import type { Router } from '../core/router.js';
import type { ScopeIndex } from '../core/scope-index.js';
import type { Logger } from '../logger.js';
import { checkIntegrationScope } from '../namespaces/integration-scope.js';
import type { WebhookMetrics } from './metrics.js';

/** What a webhook's answer may act on, like an integration's commands (the store also gives the webhook's scope). */
export interface WebhookCommandDeps extends RealtimeRowDeps {
  logger: Logger;
  router: Router;
  scopes: ScopeIndex;
  callControl: CallControlService;
}

const isCallControl = (name: string): name is CallControlCommandName => (callControlCommandNames as readonly string[]).includes(name);

/** Carries out one `{ Name: payload }` entry of a webhook's answer as an integration would send it. */
async function runOne(ctx: WebhookCommandDeps, webhook: string, scope: ScopeMatcher | null, entry: Record<string, unknown>): Promise<void> {
  const names = Object.keys(entry);
  const [name] = names;
  if (name === undefined || names.length !== 1) throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'each command is an object with exactly one key, the command name');
  const payload = entry[name];
  const scoped = checkIntegrationScope(ctx.scopes, { scope });
  switch (name) {
    case 'AgentCTI': {
      const command = parseOrThrow(agentCtiCommand, payload, name);
      scoped.peer(command.peer);
      await ctx.router.wakeup(command);
      return;
    }
    case 'AgentCTINotification': {
      const command = parseOrThrow(agentCtiNotificationCommand, payload, name);
      scoped.peer(command.peer);
      await ctx.router.notify(command);
      return;
    }
    case 'RealtimeCTI': {
      const command = parseOrThrow(realtimeCtiCommand, payload, name);
      scoped.row(command.channel);
      await addRealtimeRow(ctx, command);
      return;
    }
    default:
      if (!isCallControl(name)) throw new CtiError(ErrorCode.INVALID_PAYLOAD, `unknown command ${JSON.stringify(name.slice(0, 64))}`);
      await ctx.callControl.run(name, payload, { role: 'integration', name: `webhook ${webhook}`, peer: null, scope });
  }
}

/**
 * Carries out the commands of a webhook's answer in order, as an integration scoped like the
 * webhook: one with `queues` acts on those queues' members and calls only (protocol 1.2
 * Scopes), one without on anything. A bad or refused command is logged and counted and the
 * next one goes ahead; nothing here throws.
 */
export async function runWebhookCommands(ctx: WebhookCommandDeps, metrics: WebhookMetrics, webhook: string, commands: readonly Record<string, unknown>[]): Promise<void> {
  let scope: ScopeMatcher | null;
  try {
    // Read now, not from a cached list: a webhook just re-defined must not act on its old scope.
    const record = await ctx.store.getWebhook(webhook);
    if (!record) throw new CtiError(ErrorCode.NOT_FOUND, `webhook ${webhook} is gone: its answer's commands are not carried out`);
    const queues = record.definition.queues ?? [];
    scope = queues.length === 0 ? null : scopeMatcher({ queues, peers: [] });
  } catch (error) {
    const e = toCtiError(error);
    metrics.commands.inc({ webhook, result: e.code }, commands.length);
    ctx.logger.warn({ webhook, code: e.code, message: e.message }, 'webhook answer: commands not carried out');
    return;
  }
  for (const [index, entry] of commands.entries()) {
    try {
      await runOne(ctx, webhook, scope, entry);
      metrics.commands.inc({ webhook, result: 'ok' });
    } catch (error) {
      const e = toCtiError(error);
      metrics.commands.inc({ webhook, result: e.code });
      ctx.logger.warn({ webhook, command: index, code: e.code, message: e.message, ...(e.code === ErrorCode.INTERNAL ? { err: error } : {}) }, 'webhook answer: command refused');
    }
  }
}
