import { CtiError, ErrorCode } from '@shuttle-cti/protocol';

/**
 * The time an overloaded hub asked a refused source to wait before sending again, in ms
 * (the hub's `UNAVAILABLE` with `Retry-After`, or `retryAfterMs` on the error of the hub's
 * in-process sink); undefined for any other refusal, which a source must not repeat
 * blindly (a bad event stays bad; a store that is down is not an overload).
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof CtiError) || error.code !== ErrorCode.UNAVAILABLE) return undefined;
  const ms = error.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** An UNAVAILABLE refusal that says when to retry. */
export function overloadRefusal(message: string, retryAfterMs: number, cause?: unknown): CtiError {
  return new CtiError(ErrorCode.UNAVAILABLE, message, { cause, retryAfterMs });
}

/** `Retry-After` as ms: whole seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface RetryOptions {
  /** Longest time spent waiting in all before the last refusal is thrown; default no limit. */
  maxWaitMs?: number;
  /** Stops retrying (the last refusal is thrown) once true: the source is stopping. */
  stopped?: () => boolean;
  /** Told of each wait (for a log line). */
  onWait?: (ms: number, error: CtiError) => void;
}

/**
 * Calls `send` until it is not refused for overload: after such a refusal, waits what the
 * hub asked (at least 50 ms) and sends again. Any other error is thrown at once.
 */
export async function sendRetrying<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  let waited = 0;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      const after = retryAfterOf(error);
      if (after === undefined || options.stopped?.() === true) throw error;
      const ms = Math.max(50, after);
      if (options.maxWaitMs !== undefined && waited + ms > options.maxWaitMs) throw error;
      options.onWait?.(ms, error as CtiError);
      waited += ms;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }
}
