import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** Where the built pages are: packages/web/dist, found through the workspace package. */
export function findWebDist(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@shuttle-cti/web/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

export interface WebOptions {
  /** Other hubs the pages may connect to (origins), given to them in a `<meta>` (config `web.hubs`). */
  hubs?: readonly string[];
  /** CSP `frame-ancestors` sources (config `web.frameAncestors`); default `'self'`. */
  frameAncestors?: readonly string[];
}

/**
 * The headers of /agent and /dashboard. Scripts, styles and connections only from the hub
 * (and the other hubs it lists); frames (`new_frame` pops) from any http(s) page; who may
 * embed the pages is configurable for CRMs that show the panel in their own page.
 */
export function pageHeaders(options: WebOptions = {}): Record<string, string> {
  const hubs = options.hubs ?? [];
  const sockets = hubs.map((h) => h.replace(/^http/i, 'ws'));
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...hubs, ...sockets].join(' '),
    'frame-src http: https:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    ['frame-ancestors', ...(options.frameAncestors ?? ["'self'"])].join(' '),
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serves the agent panel at /agent and the dashboard at /dashboard. Hashed assets are
 * cached for a year; HTML is revalidated on every load so a new build shows at once.
 */
export function registerWeb(app: FastifyInstance, dist: string | undefined, options: WebOptions = {}): void {
  const headers = pageHeaders(options);
  // The pages connect only to hubs listed here (src/common/hubs.ts), never to one named by the address alone.
  const meta = `<meta name="shuttle-cti-hubs" content="${escapeAttribute((options.hubs ?? []).join(','))}" />`;
  const page = (name: string) => async (_request: unknown, reply: FastifyReply) => {
    if (!dist) return missing(reply);
    try {
      const html = (await readFile(join(dist, name, 'index.html'), 'utf8')).replace('</head>', `${meta}\n  </head>`);
      return reply.headers(headers).header('cache-control', 'no-cache').type(types['.html'] ?? 'text/html').send(html);
    } catch {
      return missing(reply);
    }
  };
  app.get('/agent', page('agent'));
  app.get('/agent/', page('agent'));
  app.get('/dashboard', page('dashboard'));
  app.get('/dashboard/', page('dashboard'));
  app.get('/', async (_request, reply) => reply.redirect('/dashboard'));

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const file = request.params.file;
    if (!dist || !/^[\w.-]+$/.test(file) || file.startsWith('.')) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset' } });
    try {
      const body = await readFile(join(dist, 'assets', file));
      const ext = file.slice(file.lastIndexOf('.'));
      return reply
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(types[ext] ?? 'application/octet-stream')
        .send(body);
    } catch {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset' } });
    }
  });
}

function missing(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .send('The web pages are not built. Run `npm run build` (npm install does it) and reload.');
}
