import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What an endpoint answered: its status and (bounded) body, or why there is no answer. */
export type PostResult = { ok: true; status: number; body: string } | { ok: false; error: string };

/** Most of an answer read: commands and variables fit well within it; a larger answer is not parsed. */
const answerBytes = 64 * 1024;

// Kept-alive connections: a webhook sends one request after another to the same endpoint.
// node:http rather than fetch: about a third of the CPU per request, which matters at a
// few thousand deliveries a second on the hub's own event loop.
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

/**
 * POSTs `body` to `url` and reads the answer, all within `timeoutMs` (an endpoint that
 * accepts the connection and never answers is cut off too). Redirects are not followed:
 * a webhook's URL is the one the operator registered.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, stop?: AbortSignal): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      finish({ ok: false, error: 'invalid URL' });
      return;
    }
    const https = target.protocol === 'https:';
    const req = (https ? httpsRequest : httpRequest)(target, {
      method: 'POST',
      agent: https ? agents.https : agents.http,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    const onStop = (): void => {
      req.destroy();
      finish({ ok: false, error: 'aborted' });
    };
    if (stop?.aborted) return onStop();
    stop?.addEventListener('abort', onStop);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code ? `${error.code}: ${error.message}` : error.message }));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size <= answerBytes) chunks.push(chunk);
      });
      res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0, body: size > answerBytes ? '' : Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => finish({ ok: false, error: error.message }));
    });
    req.end(body);
  });
}
