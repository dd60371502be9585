import { CtiError, ErrorCode, isWireError, type CallEventInput, type Variables } from '@shuttle-cti/protocol';
import type { CallEventSink } from './sink.js';

/**
 * A sink that posts to a hub's HTTP API with a source token: how a PBX that is not
 * Asterisk, or `shuttle-cti simulate`, feeds a hub from another process.
 */
export function createHttpSink(options: { url: string; token: string; timeoutMs?: number }): CallEventSink {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function post(path: string, body: unknown): Promise<void> {
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
    if (isWireError(payload.error)) throw CtiError.fromWire(payload.error);
    throw new CtiError(ErrorCode.INTERNAL, `hub answered HTTP ${res.status}`);
  }

  return {
    emit: (event: CallEventInput) => post('/api/v1/events', event),
    setVariables: (uniqueid: string, variables: Variables) => post(`/api/v1/calls/${encodeURIComponent(uniqueid)}/variables`, variables),
  };
}
