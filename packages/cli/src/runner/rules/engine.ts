import type { CallEventName } from '@shuttle-cti/protocol';
import type { CtiClient } from '@shuttle-cti/sdk';
import { describeContext, handlerContext } from '../context.js';
import type { RunnerLog } from '../log.js';
import type { PreparedIntegration } from '../prepared.js';
import type { Action, Condition, Rule, RuleSet } from './load.js';

function valueAt(event: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = event;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function holds(condition: Condition, value: unknown): boolean {
  const present = value !== undefined && value !== null && value !== '';
  if (condition.op === 'exists') return present === condition.value;
  if (!present || typeof value === 'object') return false;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (condition.op) {
    case 'equals':
      return text === condition.value;
    case 'oneOf':
      return condition.values.includes(text);
    case 'prefix':
      return text.startsWith(condition.value);
    case 'regex':
      return condition.value.test(text);
  }
}

export function matches(rule: Rule, event: Record<string, unknown>): boolean {
  return rule.when.every(({ field, conditions }) => {
    const value = valueAt(event, field);
    return conditions.every((c) => holds(c, value));
  });
}

function perform(action: Action, event: Record<string, unknown>, cti: CtiClient): Promise<unknown> {
  switch (action.kind) {
    case 'wakeup':
      return cti.wakeup(action.url.render(event), action.peer.render(event), action.mode);
    case 'notification':
      return cti.notification(action.peer.render(event), action.type, action.title.render(event), action.body.render(event));
    case 'pushevent':
      return cti.pushevent(action.appname.render(event), event, action.reference.render(event), action.url?.render(event));
    case 'dial':
      return cti.dial(action.peer.render(event), action.number.render(event));
    case 'hangup':
      return cti.hangup(action.uniqueid.render(event));
    case 'transfer':
      return cti.transfer(action.uniqueid.render(event), action.to.render(event), action.mode);
    case 'pause': {
      const reason = action.reason?.render(event);
      const queue = action.queue?.render(event);
      return cti.pause(action.peer.render(event), action.paused, { ...(reason ? { reason } : {}), ...(queue ? { queue } : {}) });
    }
  }
}

/**
 * Runs a rule set: for each event, the rules that react to it, in file order (a matching rule
 * with `stop: true` ends the list); each rule's actions in order. An action that fails is
 * logged with the rule and the call, and the next one still runs.
 */
export function rulesIntegration(file: string, set: RuleSet, log: RunnerLog): PreparedIntegration {
  const byEvent = new Map<CallEventName, Rule[]>();
  for (const rule of set.rules) {
    for (const name of rule.on) byEvent.set(name, [...(byEvent.get(name) ?? []), rule]);
  }
  return {
    kind: 'rules',
    file,
    install: async (cti) => {
      for (const [name, rules] of byEvent) {
        cti.on(name, async (payload: object) => {
          const event = payload as Record<string, unknown>;
          for (const rule of rules) {
            if (!matches(rule, event)) continue;
            for (const action of rule.actions) {
              try {
                await perform(action, event, cti);
              } catch (error) {
                log.error(`${describeContext(handlerContext.getStore())}: rule "${rule.name}": ${action.kind} failed`, error);
              }
            }
            if (rule.stop) break;
          }
        });
      }
    },
  };
}
