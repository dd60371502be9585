import { describe, expect, it } from 'vitest';
import { createSubscriptions } from '../../src/cluster/subscriptions.js';

describe('remembered Redis subscriptions', () => {
  const replayed = (s: ReturnType<typeof createSubscriptions>): string[] => {
    const out: string[] = [];
    s.replay((method, [channel]) => out.push(`${method} ${String(channel)}`));
    return out;
  };

  it('replays each channel of every subscription once, and forgets unsubscribed ones', () => {
    const s = createSubscriptions();
    const one = (): void => undefined;
    const two = (): void => undefined;
    s.note('subscribe', [['req', 'res'], one, true]);
    s.note('subscribe', [['req'], one, true]); // the same again: still once
    s.note('pSubscribe', ['room#*', two, true]);
    s.note('publish', ['req', 'x']); // not a subscription
    expect(replayed(s)).toEqual(['subscribe req', 'subscribe res', 'pSubscribe room#*']);
    s.note('unsubscribe', ['req', one, true]);
    expect(replayed(s)).toEqual(['subscribe res', 'pSubscribe room#*']);
    s.note('pUnsubscribe', []);
    expect(replayed(s)).toEqual(['subscribe res']);
    s.note('unsubscribe', ['res', two, true]); // another listener: kept
    expect(replayed(s)).toEqual(['subscribe res']);
  });
});
