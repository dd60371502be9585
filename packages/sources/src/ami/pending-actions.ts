import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { amiField, type AmiMessage } from './parser.js';

/** An action's answer: the response, and for list actions (`EventList: start`) the listed events. */
export interface AmiActionResult {
  response: AmiMessage;
  events: AmiMessage[];
}

interface Pending {
  action: string;
  timeoutMs: number;
  timer?: ReturnType<typeof setTimeout>;
  response?: AmiMessage;
  events: AmiMessage[];
  resolve(result: AmiActionResult): void;
  reject(error: CtiError): void;
}

/** Actions sent and not yet answered, by ActionID, each with its own timeout. */
export interface PendingActions {
  add(id: string, action: string, timeoutMs: number): Promise<AmiActionResult>;
  /** Routes a response; false if no action waits for it. */
  response(message: AmiMessage): boolean;
  /** Collects an event that belongs to a list action; false if none. */
  event(message: AmiMessage): boolean;
  rejectAll(error: CtiError): void;
}

export function createPendingActions(): PendingActions {
  const pending = new Map<string, Pending>();

  function arm(id: string, p: Pending): void {
    clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      pending.delete(id);
      p.reject(new CtiError(ErrorCode.TIMEOUT, `AMI ${p.action}: no answer within ${p.timeoutMs} ms`));
    }, p.timeoutMs);
  }

  function settle(id: string, p: Pending, response: AmiMessage): void {
    clearTimeout(p.timer);
    pending.delete(id);
    p.resolve({ response, events: p.events });
  }

  return {
    add(id, action, timeoutMs) {
      return new Promise((resolve, reject) => {
        const p: Pending = { action, timeoutMs, events: [], resolve, reject };
        pending.set(id, p);
        arm(id, p);
      });
    },
    response(message) {
      const id = amiField(message, 'ActionID');
      const p = id === undefined ? undefined : pending.get(id);
      if (id === undefined || !p) return false;
      if (amiField(message, 'Response') === 'Success' && amiField(message, 'EventList')?.toLowerCase() === 'start') {
        // A long list (thousands of queue members) is fine as long as it keeps coming.
        p.response = message;
        arm(id, p);
      } else {
        settle(id, p, message);
      }
      return true;
    },
    event(message) {
      const id = amiField(message, 'ActionID');
      const p = id === undefined ? undefined : pending.get(id);
      if (id === undefined || !p?.response) return false;
      if (amiField(message, 'EventList')?.toLowerCase() === 'complete') {
        settle(id, p, p.response);
      } else {
        p.events.push(message);
        arm(id, p);
      }
      return true;
    },
    rejectAll(error) {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      pending.clear();
    },
  };
}
