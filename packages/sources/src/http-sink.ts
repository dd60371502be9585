import { CtiError, ErrorCode, isWireError, type CallEventInput, type Variables } from '@shuttle-cti/protocol';
import { overloadRefusal, parseRetryAfter, sendRetrying } from './retry.js';
import type { CallEventSink } from './sink.js';

/**
 * A sink that posts to a hub's HTTP API with a source token: how a PBX that is not
 * Asterisk, or `shuttle-cti simulate`, feeds a hub from another process. When the hub is
 * overloaded (503 with `Retry-After`) it waits as asked and posts again, for up to
 * `overloadWaitMs` (default 60 s) per request; then the refusal is thrown with
 * `retryAfterMs`, for the caller to keep the event and retry later.
 */
export function createHttpSink(options: { url: string; token: string; timeoutMs?: number; overloadWaitMs?: number }): CallEventSink {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const overloadWaitMs = options.overloadWaitMs ?? 60_000;

  async function postOnce(path: string, body: unknown): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CtiError(ErrorCode.UNAVAILABLE, `cannot reach the hub at ${base}`, { cause: error });
    }
    if (res.ok) return;
    const payload = (await res.json().catch(() => ({}))) as { error?: unknown };
    const retryAfterMs = res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
    if (retryAfterMs !== undefined) {
      const message = isWireError(payload.error) ? payload.error.message : `hub answered HTTP 503`;
      throw overloadRefusal(message, retryAfterMs);
    }
    if (isWireError(payload.error)) throw CtiError.fromWire(payload.error);
    throw new CtiError(ErrorCode.INTERNAL, `hub answered HTTP ${res.status}`);
  }

  const post = (path: string, body: unknown): Promise<void> =>
    sendRetrying(() => postOnce(path, body), { maxWaitMs: overloadWaitMs });

  return {
    emit: (event: CallEventInput) => post('/api/v1/events', event),
    setVariables: (uniqueid: string, variables: Variables) => post(`/api/v1/calls/${encodeURIComponent(uniqueid)}/variables`, variables),
  };
}
