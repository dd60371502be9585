import {
  CtiError,
  ErrorCode,
  agentCtiCommand,
  agentCtiNotificationCommand,
  callControlCommandNames,
  parseOrThrow,
  realtimeCtiCommand,
  toCtiError,
  type CallControlCommandName,
} from '@shuttle-cti/protocol';
import type { HubContext } from '../context.js';
import { addRealtimeRow } from '../core/realtime-rows.js';
import type { WebhookMetrics } from './metrics.js';

const isCallControl = (name: string): name is CallControlCommandName => (callControlCommandNames as readonly string[]).includes(name);

/** Carries out one `{ Name: payload }` entry of a webhook's answer as an integration would send it. */
async function runOne(ctx: HubContext, webhook: string, entry: Record<string, unknown>): Promise<void> {
  const names = Object.keys(entry);
  const [name] = names;
  if (name === undefined || names.length !== 1) throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'each command is an object with exactly one key, the command name');
  const payload = entry[name];
  switch (name) {
    case 'AgentCTI':
      await ctx.router.wakeup(parseOrThrow(agentCtiCommand, payload, name));
      return;
    case 'AgentCTINotification':
      await ctx.router.notify(parseOrThrow(agentCtiNotificationCommand, payload, name));
      return;
    case 'RealtimeCTI':
      await addRealtimeRow(ctx, parseOrThrow(realtimeCtiCommand, payload, name));
      return;
    default:
      if (!isCallControl(name)) throw new CtiError(ErrorCode.INVALID_PAYLOAD, `unknown command ${JSON.stringify(name.slice(0, 64))}`);
      if (!ctx.callControl) throw new CtiError(ErrorCode.NOT_SUPPORTED, 'call control is not available on this hub');
      await ctx.callControl.run(name, payload, { role: 'integration', name: `webhook ${webhook}`, peer: null });
  }
}

/**
 * Carries out the commands of a webhook's answer in order. A bad or refused command is
 * logged and counted and the next one goes ahead; nothing here throws.
 */
export async function runWebhookCommands(ctx: HubContext, metrics: WebhookMetrics, webhook: string, commands: readonly Record<string, unknown>[]): Promise<void> {
  for (const [index, entry] of commands.entries()) {
    try {
      await runOne(ctx, webhook, entry);
      metrics.commands.inc({ webhook, result: 'ok' });
    } catch (error) {
      const e = toCtiError(error);
      metrics.commands.inc({ webhook, result: e.code });
      ctx.logger.warn({ webhook, command: index, code: e.code, message: e.message, ...(e.code === ErrorCode.INTERNAL ? { err: error } : {}) }, 'webhook answer: command refused');
    }
  }
}
