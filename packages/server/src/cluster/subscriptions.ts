/**
 * Remembers the subscriptions made on a Redis client, to make them again after each
 * (re)connection. node-redis resubscribes by itself only what Redis once confirmed: a
 * SUBSCRIBE sent while the first connection attempt fails (a hub started while Redis is
 * down) is rejected and forgotten, and that hub would never hear the others. Making a
 * confirmed subscription again is harmless: node-redis keeps listeners in a Set and sends
 * nothing for a channel it already has.
 */
export interface Subscriptions {
  /** Records or forgets according to the method name; other methods are ignored. */
  note(method: string, args: readonly unknown[]): void;
  /** Calls `subscribe(method, channel, listener, buffers)` for each remembered subscription. */
  replay(subscribe: (method: string, args: unknown[]) => void): void;
}

const undo: Record<string, string> = { unsubscribe: 'subscribe', pUnsubscribe: 'pSubscribe', sUnsubscribe: 'sSubscribe' };
const subscribeMethods = new Set(Object.values(undo));

interface Entry {
  method: string;
  channel: string;
  listener: unknown;
  buffers: unknown;
}

const channelName = (value: unknown): string => (typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString() : JSON.stringify(value));
const channelsOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(channelName) : value === undefined ? [] : [channelName(value)]);

export function createSubscriptions(): Subscriptions {
  let entries: Entry[] = [];
  return {
    note(method, [channels, listener, buffers]) {
      if (subscribeMethods.has(method)) {
        for (const channel of channelsOf(channels)) {
          const known = entries.some((e) => e.method === method && e.channel === channel && e.listener === listener);
          if (!known) entries.push({ method, channel, listener, buffers });
        }
        return;
      }
      const of = undo[method];
      if (of === undefined) return;
      // No channel: all of that kind; no listener: every listener of the channel.
      const channelSet = channels === undefined ? undefined : new Set(channelsOf(channels));
      entries = entries.filter(
        (e) => !(e.method === of && (channelSet === undefined || channelSet.has(e.channel)) && (listener === undefined || e.listener === listener)),
      );
    },
    replay(subscribe) {
      for (const e of entries) subscribe(e.method, [e.channel, e.listener, e.buffers]);
    },
  };
}
