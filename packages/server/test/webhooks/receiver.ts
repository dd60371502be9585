/**
 * A real HTTP endpoint for webhook tests (node:http on port 0). Each request is recorded,
 * its signature checked here with node:crypto (independently of the hub's code), and
 * answered by the test's handler: a status and body, or never (a dead endpoint).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** Whether X-Shuttle-Signature matched the secret the receiver was given. */
  signed: boolean;
  at: number;
}

/** What to answer: a status (and JSON body), or 'hang' to never answer. */
export type Answer = { status: number; body?: unknown; delayMs?: number } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Sets how the next requests are answered (default 200 with an empty body). */
  answer(handler: (r: Received, index: number) => Answer): void;
  secret: string;
  /** Most requests that were open at once (one hub delivering in order keeps it at 1). */
  maxOpen(): number;
  close(): Promise<void>;
}

export function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = headers['x-shuttle-timestamp'];
  const given = headers['x-shuttle-signature'];
  if (typeof timestamp !== 'string' || typeof given !== 'string') return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export async function startReceiver(secret = 'receiver-secret-0123456789'): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let handler: (r: Received, index: number) => Answer = () => ({ status: 200 });
  let open = 0;
  let maxOpen = 0;
  const server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => {
      open -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // left empty: the test sees the raw body
      }
      const r: Received = { headers: req.headers, body, json, signed: verify(secret, req.headers, body), at: Date.now() };
      received.push(r);
      const a = handler(r, received.length - 1);
      if (a === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const send = (): void => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body === undefined ? '' : JSON.stringify(a.body));
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    secret,
    maxOpen: () => maxOpen,
    answer(h) {
      handler = h;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
