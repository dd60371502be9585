import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, watchErrors } from './browser.js';

/**
 * `?hubs=` used to be taken from the address alone: a link to
 * `/dashboard?hubs=http://evil` made the page hand its saved token to that host.
 */
describeBrowser('the hubs a page connects to', () => {
  let t: TestHub;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  let evil: { url: string; http: HttpServer; io: Server; tokens: unknown[]; requests: string[] };
  const errors: string[] = [];

  beforeAll(async () => {
    pages = await buildPages();
    [t, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), launchBrowser()]);
    // A rogue hub: a real socket.io server that accepts anyone and keeps what it is sent.
    const requests: string[] = [];
    const http = createServer();
    http.on('request', (request) => requests.push(request.url ?? ''));
    const io = new Server(http, { cors: { origin: true, credentials: true } });
    const tokens: unknown[] = [];
    for (const name of ['/agent', '/supervisor']) {
      io.of(name).use((socket, next) => {
        tokens.push((socket.handshake.auth as { token?: unknown }).token);
        next();
      });
    }
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    evil = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, http, io, tokens, requests };
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => void evil?.io.close(() => resolve()));
    await t?.stop();
    await pages?.remove();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(errors.splice(0)).toEqual([]);
  });

  for (const [path, namespace, token] of [
    ['agent', '/agent', () => t.tokens.agent],
    ['dashboard', '/supervisor', () => t.tokens.supervisor],
  ] as const) {
    it(`/${path}?hubs= naming a host the hub does not list connects to the page's own hub, never to that host`, async () => {
      context = await newContext(browser);
      const page = await context.newPage();
      watchErrors(page, errors);
      await page.goto(`${t.url}/${path}?hubs=${encodeURIComponent(evil.url)}#token=${encodeURIComponent(token())}`);
      await page.locator('.status[data-state="connected"]').waitFor();
      // Connected to one of the two: whichever it is, the rogue must have seen nothing.
      await until(() => t.hub.io.of(namespace).sockets.size > 0 || evil.tokens.length > 0, 5000, 'a session on either hub');
      expect(evil.tokens).toEqual([]);
      expect(evil.requests).toEqual([]);
      expect(t.hub.io.of(namespace).sockets.size).toBe(1);
    });
  }

  it('serves the pages the other hubs of web.hubs, and a Content-Security-Policy that lets them connect there only', async () => {
    const response = await fetch(`${t.url}/agent`);
    const html = await response.text();
    expect(html).toContain('<meta name="shuttle-cti-hubs" content="" />');
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self';");
  });
});
