import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connectClient, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openAgentPanel, startTargetServer, watchErrors, type TargetServer } from './browser.js';

type Ack = { ok: boolean; id: string; delivered: number; queued: number };

describeBrowser('agent panel in several tabs, and across a hub restart', () => {
  let t: TestHub;
  let target: TargetServer;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  let peerCount = 0;

  beforeAll(async () => {
    pages = await buildPages();
    [t, target, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), startTargetServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await t?.stop();
    await pages?.remove();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(errors.splice(0)).toEqual([]);
  });

  const freshAgent = async (): Promise<{ peer: string; token: string }> => {
    const peer = `SIP/tabs.${++peerCount}`;
    return { peer, token: await t.agentToken(peer) };
  };
  /** A new integration connection each time: the hub may have been restarted in between. */
  const send = async (command: string, payload: Record<string, unknown>): Promise<Ack> => {
    const integration: Socket = await connectClient(t.url, '/', { token: t.tokens.integration });
    try {
      return (await integration.timeout(3000).emitWithAck(command, payload)) as Ack;
    } finally {
      integration.close();
    }
  };
  const roleOf = (page: Page) => page.locator('.tab-role').getAttribute('data-primary');
  const listed = (page: Page, id: string, outcome: string) => page.locator(`.history-item[data-id="${id}"][data-outcome="${outcome}"]`).waitFor();
  /** The panel pages of the context (popups excluded). */
  const openedPops = (url: string) => context!.pages().filter((p) => p.url() === url);

  const twoTabsOnePop = async (): Promise<void> => {
    const { peer, token } = await freshAgent();
    const first = await openAgentPanel(context!, t.url, token);
    const second = await openAgentPanel(context!, t.url, token);
    for (const page of [first, second]) watchErrors(page, errors);
    await until(async () => (await roleOf(first)) === 'true' && (await roleOf(second)) === 'false', 8000, 'one primary tab');

    const url = `${target.url}/crm/two-tabs`;
    const popped = context!.waitForEvent('page');
    const ack = await send('AgentCTI', { url, peer, mode: 'new_tab' });
    // Both tabs have a session: the hub delivers the command to each.
    expect(ack.delivered).toBe(2);
    await (await popped).waitForURL(url);
    // Each tab lists it with the outcome the primary reported, so the primary is done with it.
    await listed(first, ack.id, 'tab');
    await listed(second, ack.id, 'tab');
    expect(openedPops(url)).toHaveLength(1);

    // The primary tab closes: the other one takes over and pops the next one.
    await first.close();
    await until(async () => (await roleOf(second)) === 'true', 8000, 'the second tab to become primary');
    const nextUrl = `${target.url}/crm/after-handover`;
    const next = context!.waitForEvent('page');
    const nextAck = await send('AgentCTI', { url: nextUrl, peer, mode: 'new_tab' });
    await (await next).waitForURL(nextUrl);
    await listed(second, nextAck.id, 'tab');
    expect(openedPops(url)).toHaveLength(1);
    expect(openedPops(nextUrl)).toHaveLength(1);
  };

  it('with two tabs open, exactly one performs each pop and both list it (Web Locks)', async () => {
    context = await newContext(browser);
    await twoTabsOnePop();
  });

  it('does the same where Web Locks are unavailable (plain http on the LAN), with the localStorage lease', async () => {
    context = await newContext(browser);
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
    });
    await twoTabsOnePop();
  });

  it('does not pop again after a reload when its acknowledgement was lost and the hub sends the command again', async () => {
    context = await newContext(browser);
    const { peer, token } = await freshAgent();
    // Lose the panel's acks on their way to the hub, on both socket.io transports
    // (HTTP long-polling first, then the WebSocket), so the hub keeps the command pending.
    const isAck = (packet: string): boolean => packet.includes('"ack"');
    await context.route('**/socket.io/**', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const packets = (request.postData() ?? '').split('\x1e');
      const kept = packets.filter((packet) => !isAck(packet));
      if (kept.length === packets.length) return route.continue();
      if (kept.length === 0) return route.fulfill({ status: 200, contentType: 'text/html', body: 'ok' });
      return route.continue({ postData: kept.join('\x1e') });
    });
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        if (typeof message === 'string' && isAck(message)) return;
        server.send(message);
      });
    });
    const page = await openAgentPanel(context, t.url, token);
    watchErrors(page, errors);
    const url = `${target.url}/crm/once`;
    const popped = context.waitForEvent('page');
    const ack = await send('AgentCTI', { url, peer, mode: 'new_tab' });
    await (await popped).waitForURL(url);
    await listed(page, ack.id, 'tab');
    expect((await t.hub.store.pendingFor(peer, new Date().toISOString())).map((item) => item.id)).toContain(ack.id);

    // The new session gets the pending command again; the panel remembers it did it.
    await page.reload();
    await page.locator('.status[data-state="connected"]').waitFor();
    const laterUrl = `${target.url}/crm/later`;
    const later = context.waitForEvent('page');
    const laterAck = await send('AgentCTI', { url: laterUrl, peer, mode: 'new_tab' });
    // Delivered in order after the repeated one, so once it has popped the repeat was handled.
    await (await later).waitForURL(laterUrl);
    await listed(page, laterAck.id, 'tab');
    expect(openedPops(url)).toHaveLength(1);
  });

  it('reconnects after the hub restarts and performs a pop queued while it was away', async () => {
    context = await newContext(browser);
    const { peer, token } = await freshAgent();
    const page = await openAgentPanel(context, t.url, token);
    watchErrors(page, errors);
    // Hold the panel off while the hub is down and the pop is sent, so the pop is really
    // queued by the hub (socket.io's handshake starts with an HTTP request we can refuse).
    await page.route('**/socket.io/**', (route) => route.abort());
    await t.restart();
    await page.locator('.status[data-state="reconnecting"]').waitFor();
    const url = `${target.url}/crm/queued`;
    const ack = await send('AgentCTI', { url, peer, mode: 'new_tab' });
    expect(ack).toMatchObject({ ok: true, delivered: 0, queued: 1 });

    const popped = context.waitForEvent('page', { timeout: 20_000 });
    await page.unroute('**/socket.io/**');
    await page.locator('.status[data-state="connected"]').waitFor({ timeout: 20_000 });
    await (await popped).waitForURL(url);
    await listed(page, ack.id, 'tab');
  });
});
