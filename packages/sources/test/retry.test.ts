import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from '../src/delivery-queue.js';
import { overloadRefusal, parseRetryAfter, retryAfterOf, sendRetrying } from '../src/retry.js';
import { silentLogger } from '../src/sink.js';

describe('retrying an overloaded hub', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('retries only refusals that say when: not a bad event, not a store that is down', async () => {
    expect(retryAfterOf(overloadRefusal('busy', 100))).toBe(100);
    expect(retryAfterOf(new CtiError(ErrorCode.UNAVAILABLE, 'store down'))).toBeUndefined();
    expect(retryAfterOf(new CtiError(ErrorCode.INVALID_PAYLOAD, 'bad'))).toBeUndefined();
    let calls = 0;
    await expect(
      sendRetrying(async () => {
        calls++;
        throw new CtiError(ErrorCode.INVALID_PAYLOAD, 'bad');
      }),
    ).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });

  it('sends again after the wait until it is taken, and gives up past maxWaitMs', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await sendRetrying(
      async () => {
        if (++calls < 3) throw overloadRefusal('busy', 10);
        return 'taken';
      },
      { onWait: (ms) => waits.push(ms) },
    );
    expect(result).toBe('taken');
    expect(waits).toEqual([50, 50]);
    await expect(
      sendRetrying(async () => Promise.reject(overloadRefusal('busy', 100)), { maxWaitMs: 150 }),
    ).rejects.toThrow('busy');
  });

  it('a delivery queue keeps the order through refusals and drops the newest past its bound', async () => {
    const queue = createDeliveryQueue({ limit: 3, logger: silentLogger, what: 'test' });
    const delivered: number[] = [];
    let refuse = 2;
    for (const n of [1, 2, 3, 4, 5]) {
      queue.push(async () => {
        if (n === 1 && refuse-- > 0) throw overloadRefusal('busy', 10);
        delivered.push(n);
      }, () => ({ n }));
    }
    expect(queue.waiting).toBe(3);
    expect(queue.dropped).toBe(2);
    await queue.close();
    expect(delivered).toEqual([1, 2, 3]);
    expect(queue.waiting).toBe(0);
  });
});
