import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createToken } from '../../server/src/auth.js';
import { connectClient, startTestHub, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openAgentPanel, startTargetServer, watchErrors, type TargetServer } from './browser.js';
import { hangup, ringing, up } from './calls.js';

type Ack = { ok: boolean; id: string; delivered: number; queued: number };

describeBrowser('agent panel', () => {
  let t: TestHub;
  let target: TargetServer;
  let browser: Browser;
  let integration: Socket;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  let peerCount = 0;

  beforeAll(async () => {
    pages = await buildPages();
    [t, target, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), startTargetServer(), launchBrowser()]);
    integration = await connectClient(t.url, '/', { token: t.tokens.integration });
  });
  afterAll(async () => {
    integration?.close();
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

  /** A fresh peer (and token) per test, so no command of one test reaches another. */
  const freshAgent = async (): Promise<{ peer: string; token: string }> => {
    const peer = `SIP/agent.${++peerCount}`;
    return { peer, token: await t.agentToken(peer) };
  };
  const send = (command: string, payload: Record<string, unknown>): Promise<Ack> =>
    integration.timeout(3000).emitWithAck(command, payload) as Promise<Ack>;
  const open = async (options: Parameters<typeof newContext>[1] = {}, query = ''): Promise<{ page: Page; peer: string }> => {
    context = await newContext(browser, options);
    const agent = await freshAgent();
    const page = await openAgentPanel(context, t.url, agent.token, query);
    watchErrors(page, errors);
    return { page, peer: agent.peer };
  };
  const historyItem = (page: Page, id: string, outcome: string) => page.locator(`.history-item[data-id="${id}"][data-outcome="${outcome}"]`);

  it('signs in with the form (keyboard only), shows the peer, and refuses a bad token', async () => {
    context = await newContext(browser);
    const { peer, token } = await freshAgent();
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(`${t.url}/agent`);
    // The token field has the focus: type, Enter.
    await page.keyboard.type('not-a-real-token');
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-error', { hasText: 'refused' }).waitFor();
    await page.getByLabel('Agent token').fill(token);
    await page.keyboard.press('Enter');
    await page.locator('.status[data-state="connected"]').waitFor();
    expect(await page.locator('.who-peer').textContent()).toBe(peer);
    // Reload keeps the session (token in sessionStorage).
    await page.reload();
    await page.locator('.status[data-state="connected"]').waitFor();
    // Signing out returns to the form.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Agent token').waitFor();
  });

  it('signs out, saying why, when the token is revoked', async () => {
    context = await newContext(browser);
    const { secret, record } = await createToken(t.hub.store, { role: 'agent', peer: 'SIP/revoked.agent', name: 'Revoked Agent' });
    const page = await openAgentPanel(context, t.url, secret);
    watchErrors(page, errors);
    expect(await t.hub.store.revokeToken(record.id)).toBe(true);
    // The hub re-checks tokens every couple of seconds and closes the session.
    await page.locator('#sign-in-error', { hasText: 'refused' }).waitFor();
    // And forgets it.
    expect(await page.evaluate(() => [sessionStorage.getItem('shuttle-cti:agent-token'), localStorage.getItem('shuttle-cti:agent-token')])).toEqual([null, null]);
  });

  it('takes #token= from the URL and removes it from the address bar', async () => {
    const { page, peer } = await open();
    expect(page.url()).not.toContain('token');
    expect(await page.locator('.who-peer').textContent()).toBe(peer);
    expect(await page.locator('.tab-role').getAttribute('data-primary')).toBe('true');
  });

  it('opens new_tab in a new tab and new_window in a popup window', async () => {
    const { page, peer } = await open();
    const tabUrl = `${target.url}/crm/tab-1`;
    const nextTab = context!.waitForEvent('page');
    const tabAck = await send('AgentCTI', { url: tabUrl, peer, mode: 'new_tab' });
    expect(tabAck).toMatchObject({ ok: true, delivered: 1 });
    const tab = await nextTab;
    await tab.waitForURL(tabUrl);
    expect(await tab.locator('h1').textContent()).toBe('Record tab-1');
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    await historyItem(page, tabAck.id, 'tab').waitFor();

    const windowUrl = `${target.url}/crm/window-1`;
    const nextWindow = context!.waitForEvent('page');
    const windowAck = await send('AgentCTI', { url: windowUrl, peer, mode: 'new_window' });
    const popup = await nextWindow;
    await popup.waitForURL(windowUrl);
    // A popup window has no toolbar (a tab has one).
    expect(await popup.evaluate(() => window.toolbar.visible)).toBe(false);
    expect(await tab.evaluate(() => window.toolbar.visible)).toBe(true);
    await historyItem(page, windowAck.id, 'window').waitFor();
  });

  it('opens new_frame inside the panel, with tabs to switch (also by keyboard) and close', async () => {
    const { page, peer } = await open();
    const first = await send('AgentCTI', { url: `${target.url}/crm/frame-1`, peer, mode: 'new_frame' });
    const frame1 = page.frameLocator(`.frame-panel[data-id="${first.id}"] iframe`);
    expect(await frame1.locator('h1').textContent()).toBe('Record frame-1');
    const second = await send('AgentCTI', { url: `${target.url}/crm/frame-2`, peer, mode: 'new_frame' });
    expect(await page.frameLocator(`.frame-panel[data-id="${second.id}"] iframe`).locator('h1').textContent()).toBe('Record frame-2');
    await historyItem(page, second.id, 'frame').waitFor();

    const tabs = page.getByRole('tab');
    expect(await tabs.count()).toBe(2);
    expect(await tabs.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`.frame-panel[data-id="${first.id}"]`).isHidden()).toBe(true);
    await tabs.nth(1).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await tabs.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`.frame-panel[data-id="${first.id}"]`).isVisible()).toBe(true);
    await page.getByRole('button', { name: `Close 127.0.0.1:${new URL(target.url).port}` }).first().click();
    expect(await tabs.count()).toBe(1);
    expect(await page.locator(`.frame-panel[data-id="${second.id}"]`).isVisible()).toBe(true);
  });

  it('offers "Open in new tab" for a page that does not load in the frame, and for one that refuses framing', async () => {
    // The panel suspects a refused frame when it does not load in time (the URL shortens that time).
    const { page, peer } = await open({}, '?frameTimeoutMs=700');
    const hanging = await send('AgentCTI', { url: `${target.url}/hang/slow`, peer, mode: 'new_frame' });
    const refused = page.locator(`.frame-panel[data-id="${hanging.id}"][data-state="refused"]`);
    await refused.locator('.frame-notice').getByRole('button', { name: 'Open in new tab' }).waitFor();

    // X-Frame-Options: the browser shows its error page; the toolbar always offers the way out.
    const denied = await send('AgentCTI', { url: `${target.url}/deny/d-1`, peer, mode: 'new_frame' });
    const panel = page.locator(`.frame-panel[data-id="${denied.id}"]`);
    await panel.waitFor();
    const next = context!.waitForEvent('page');
    await panel.locator('.frame-toolbar').getByRole('button', { name: 'Open in new tab' }).click();
    const opened = await next;
    await opened.waitForURL(`${target.url}/deny/d-1`);
    expect(await opened.locator('h1').textContent()).toBe('Record d-1');
  });

  it('shows a one-click Open when the pop-up blocker stops a pop, and the hint only once', async () => {
    context = await newContext(browser);
    // Simulates a pop-up blocker: window.open works only while a click is being handled
    // (a user gesture); any other call gets null, as a blocked pop does. (The browser's own
    // blocker is off under automation, and its user-activation flag is not reliable here.)
    await context.addInitScript(() => {
      const realOpen = window.open.bind(window);
      let inClick = false;
      addEventListener(
        'click',
        () => {
          inClick = true;
          setTimeout(() => (inClick = false));
        },
        true,
      );
      window.open = (...args: Parameters<typeof window.open>) => (inClick ? realOpen(...args) : null);
    });
    const { peer, token } = await freshAgent();
    const page = await openAgentPanel(context, t.url, token);
    watchErrors(page, errors);

    const url = `${target.url}/crm/blocked-1`;
    const ack = await send('AgentCTI', { url, peer, mode: 'new_window' });
    const banner = page.locator('.blocked-pops');
    await banner.locator(`.blocked-item[data-id="${ack.id}"]`).waitFor();
    expect(await banner.textContent()).toContain(url);
    expect(await banner.locator('.blocked-hint').isVisible()).toBe(true);
    await historyItem(page, ack.id, 'blocked').waitFor();

    const next = context.waitForEvent('page');
    await banner.getByRole('button', { name: 'Open', exact: true }).click();
    const opened = await next;
    await opened.waitForURL(url);
    await banner.waitFor({ state: 'hidden' });
    await historyItem(page, ack.id, 'opened-by-hand').waitFor();

    const again = await send('AgentCTI', { url: `${target.url}/crm/blocked-2`, peer, mode: 'new_tab' });
    await banner.locator(`.blocked-item[data-id="${again.id}"]`).waitFor();
    expect(await banner.locator('.blocked-hint').count()).toBe(0);
    await banner.getByRole('button', { name: /Dismiss/ }).click();
    await historyItem(page, again.id, 'dismissed').waitFor();
  });

  it('shows a notification as a toast styled by type, or as a desktop notification when allowed', async () => {
    const { page, peer } = await open();
    const warning = await send('AgentCTINotification', { peer, type: 'warning', title: 'Callback due', body: 'Call Giulia Rossi back before 17:00' });
    const toast = page.locator(`.toast.toast-warning[data-id="${warning.id}"]`);
    await toast.waitFor();
    expect(await toast.textContent()).toContain('Call Giulia Rossi back before 17:00');
    await historyItem(page, warning.id, 'toast').waitFor();
    await toast.getByRole('button', { name: /Close notification/ }).click();
    await toast.waitFor({ state: 'detached' });
    await context!.close();

    // With permission granted, the Notification API is used (recorded on its way through).
    context = await newContext(browser, { permissions: ['notifications'] });
    await context.addInitScript(() => {
      const Real = window.Notification;
      const shown: string[] = [];
      (window as unknown as { shownNotifications: string[] }).shownNotifications = shown;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      }
      window.Notification = Recorded;
    });
    const agent = await freshAgent();
    const desktopPage = await openAgentPanel(context, t.url, agent.token);
    watchErrors(desktopPage, errors);
    const success = await send('AgentCTINotification', { peer: agent.peer, type: 'success', title: 'Order saved', body: 'Order 4411 confirmed' });
    await historyItem(desktopPage, success.id, 'desktop').waitFor();
    expect(await desktopPage.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual(['Order saved']);
    expect(await desktopPage.locator('.toast').count()).toBe(0);
  });

  it('follows the call on the card, without moving the rest of the layout', async () => {
    const { page, peer } = await open();
    const boxes = () =>
      page.evaluate(() =>
        ['.call-card', '.history', '.frame-area', '.topbar'].map((selector) => {
          const r = document.querySelector(selector)!.getBoundingClientRect();
          return [selector, r.x, r.y, r.width, r.height];
        }),
      );
    const before = await boxes();
    const call = { uniqueid: 'card-1', queue: 'Support', peer, callernum: '+390255501', callername: 'Giulia Rossi' };
    await t.ingest([ringing(call)]);
    const card = page.locator('.call-card');
    await page.locator('.call-card[data-phase="ringing"]').waitFor();
    expect(await card.textContent()).toContain('Giulia Rossi');
    expect(await card.textContent()).toContain('Queue Support');
    await send('AgentCTI', { url: `${target.url}/crm/layout`, peer, mode: 'new_frame' });
    await send('AgentCTINotification', { peer, type: 'info', title: 'VIP caller', body: 'Premium account' });
    await page.locator('.toast').waitFor();
    await page.locator('.frame-panel').waitFor();
    await t.ingest([up(call)]);
    await page.locator('.call-card[data-phase="talking"]').waitFor();
    expect(await page.locator('.call-card .timer-label').textContent()).toBe('Talking');
    expect(await boxes()).toEqual(before);
    await t.ingest([hangup(call, 'caller', '95')]);
    await page.locator('.call-card[data-phase="ended"]').waitFor();
    expect(await card.textContent()).toContain('1:35');
    expect(await card.textContent()).toContain('the caller hung up');
    expect(await boxes()).toEqual(before);
  });

  it('stays readable in a narrow window (no sideways scrolling)', async () => {
    const { page, peer } = await open({ viewport: { width: 380, height: 760 } });
    await send('AgentCTI', { url: `${target.url}/crm/narrow`, peer, mode: 'new_frame' });
    await page.locator('.frame-panel').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await page.locator('.call-card').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });
});
