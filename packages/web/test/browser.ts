/**
 * Browser test helpers: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the pages built once per test file into a temp dir the hub serves, and a
 * local HTTP server standing in for the CRM pages that pops open.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(chromiumPath);
if (!available && process.env['CI'] === 'true') {
  throw new Error(`Chromium is required for the browser tests in CI but is missing at ${chromiumPath} (apt-get install chromium)`);
}
if (!available) console.warn(`[web] skipping browser tests: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** `describe`, or `describe.skip` (saying why above) when there is no Chromium outside CI. */
export function describeBrowser(name: string, body: () => void): void {
  if (available) describe(name, body);
  else describe.skip(name, body);
}

export function launchBrowser(): Promise<Browser> {
  // launch() gives every browser a new, empty profile directory.
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  // Well under the test timeout, so a failing wait names what it waited for.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Builds the pages with the package's own Vite config into a fresh temp dir. */
export async function buildPages(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-web-'));
  await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface TargetServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/**
 * Pages that pops open: `/crm/<id>` a normal page, `/deny/<id>` one that refuses to be
 * framed (X-Frame-Options), `/hang/<id>` one that never answers.
 */
export async function startTargetServer(): Promise<TargetServer> {
  const sockets = new Set<NetSocket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const [, kind = '', id = ''] = (request.url ?? '/').split('/');
    if (kind === 'hang') return; // never answers
    if (kind === 'deny') response.setHeader('x-frame-options', 'DENY');
    if (kind !== 'crm' && kind !== 'deny') {
      response.writeHead(404).end();
      return;
    }
    const safeId = id.replace(/[^\w.-]/g, '');
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><html><head><title>CRM ${safeId}</title><style>body{font:15px system-ui,sans-serif;margin:0;color:#1d2433}` +
        `header{background:#0e7c66;color:#fff;padding:14px 22px;font-weight:600}main{padding:22px}dl{display:grid;grid-template-columns:140px 1fr;gap:8px 16px}` +
        `dt{color:#667}</style></head><body><header>Acme CRM · Customer record</header><main><h1>Record ${safeId}</h1>` +
        `<dl><dt>Customer</dt><dd>Giulia Rossi</dd><dt>Phone</dt><dd>+39 02 555 0101</dd><dt>Account</dt><dd>Premium · since 2019</dd>` +
        `<dt>Open tickets</dt><dd>2 (last: router replacement)</dd></dl></main></body></html>`,
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Opens the agent panel signed in through `#token=` and waits until it is connected. */
export async function openAgentPanel(context: BrowserContext, hubUrl: string, token: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${hubUrl}/agent/${query}#token=${encodeURIComponent(token)}`);
  await page.locator('.status[data-state="connected"]').waitFor();
  await page.locator('.tab-role').waitFor();
  return page;
}

/** Opens the dashboard as `token` in a new page of `context`, its errors collected in `errors` from the start; resolves once connected. */
export async function openDashboard(context: BrowserContext, hubUrl: string, token: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  watchErrors(page, errors);
  await page.goto(`${hubUrl}/dashboard#token=${encodeURIComponent(token)}`);
  await page.locator('.status[data-state="connected"]').waitFor();
  return page;
}

/** Fails a test on any error thrown in the page. */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
}

/** What `browserTests()` gives each test. */
export interface BrowserTests {
  /** The pages built for this file (served by the hubs the tests start). */
  readonly pages: { dir: string };
  /** A new browser context, closed after the test. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Something to undo after the test (a hub to stop); undone in reverse order. */
  cleanup(step: () => Promise<void>): void;
  /** Page errors (see `watchErrors`); each test must end with none. */
  readonly errors: string[];
}

/**
 * The set-up most browser tests share, registered on the enclosing `describe`: the pages
 * built and Chromium launched once per file; after each test its context closed, what it
 * asked to clean up undone, and no page error seen.
 */
export function browserTests(): BrowserTests {
  let browser: Browser | undefined;
  let pages: Awaited<ReturnType<typeof buildPages>> | undefined;
  let context: BrowserContext | undefined;
  let cleanups: Array<() => Promise<void>> = [];
  const errors: string[] = [];
  beforeAll(async () => {
    [pages, browser] = await Promise.all([buildPages(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.remove();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    for (const step of cleanups.reverse()) await step();
    cleanups = [];
    expect(errors.splice(0)).toEqual([]);
  });
  return {
    get pages() {
      if (!pages) throw new Error('the pages are built before the first test');
      return pages;
    },
    async context(options) {
      if (!browser) throw new Error('Chromium is launched before the first test');
      context = await newContext(browser, options);
      return context;
    },
    cleanup(step) {
      cleanups.push(step);
    },
    errors,
  };
}
