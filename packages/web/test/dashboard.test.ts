import type { RealtimeRow } from '@shuttle-cti/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connectClient, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openDashboard as openDashboardPage, watchErrors } from './browser.js';
import { abandon, hangup, ringing, up } from './calls.js';

type Ack = { ok: boolean; id: string };

describeBrowser('supervisor dashboard', () => {
  let t: TestHub;
  let browser: Browser;
  let integration: Socket;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  const olderRows = 250;

  beforeAll(async () => {
    pages = await buildPages();
    [t, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), launchBrowser()]);
    integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    // History that predates the dashboard: more than the snapshot carries (100).
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < olderRows; i += 1) {
      const row: RealtimeRow = {
        id: `old-${i}`,
        type: i % 2 === 0 ? 'crm-sync' : 'billing',
        channel: { callernum: `+3902555${String(i).padStart(4, '0')}`, queue: 'Support', agentname: 'Andrea Bianco' },
        reference: `OLD-${i}`,
        url: `https://crm.example.test/old/${i}`,
        time: new Date(start + i * 1000).toISOString(),
      };
      await t.hub.store.addRealtime(row);
    }
  });
  afterAll(async () => {
    integration?.close();
    await browser?.close();
    await t?.stop();
    await pages?.remove();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(errors.splice(0)).toEqual([]);
  });

  const openDashboard = async (): Promise<Page> => {
    context = await newContext(browser);
    return openDashboardPage(context, t.url, t.tokens.supervisor, errors);
  };
  const kpi = (page: Page, name: string) => page.locator(`[data-kpi="${name}"]`);
  const waitKpi = (page: Page, name: string, value: string) => page.locator(`[data-kpi="${name}"]`, { hasText: new RegExp(`^${value}$`) }).waitFor();

  it('signs in with the form and refuses an agent token', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(`${t.url}/dashboard`);
    await page.getByLabel('Supervisor token').fill(t.tokens.agent);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error').filter({ hasText: /refused|not allowed/ }).waitFor();
    await page.getByLabel('Supervisor token').fill(t.tokens.supervisor);
    await page.keyboard.press('Enter');
    await page.locator('.status[data-state="connected"]').waitFor();
  });

  it('shows the snapshot, then live calls per queue, agents and counters as events arrive', async () => {
    const page = await openDashboard();
    const before = Number(await kpi(page, 'calls').textContent());
    const agentPeer = 'SIP/dash.agent';
    const agentSocket = await connectClient(t.url, '/agent', { token: await t.agentToken(agentPeer) });
    const agentRow = page.locator('.agent-row', { hasText: agentPeer });
    await agentRow.filter({ hasText: 'panel open' }).waitFor();

    const a = { uniqueid: 'dash-a', queue: 'Support', peer: agentPeer, agentname: 'Dash Agent', callernum: '+390255500', callername: 'Giulia Rossi' };
    await t.ingest([ringing(a)]);
    await waitKpi(page, 'waiting', '1');
    await page.locator('.queues-table tr[data-queue="Support"] [data-col="waiting"]', { hasText: '1' }).waitFor();
    await page.locator('.call-row.state-waiting', { hasText: 'Giulia Rossi' }).waitFor();
    await agentRow.filter({ hasText: 'Ringing' }).waitFor();

    await t.ingest([up(a, '7')]);
    await waitKpi(page, 'talking', '1');
    await waitKpi(page, 'waiting', '0');
    await page.locator('.call-row.state-talking', { hasText: 'Dash Agent' }).waitFor();
    await agentRow.filter({ hasText: 'On a call' }).waitFor();

    await t.ingest([abandon({ uniqueid: 'dash-b', queue: 'Sales', callernum: '+390255599' })]);
    await waitKpi(page, 'abandoned', '1');
    await waitKpi(page, 'calls', String(before + 2));
    await waitKpi(page, 'answered', '1');

    await t.ingest([hangup(a)]);
    await waitKpi(page, 'talking', '0');
    await agentRow.filter({ hasText: 'Idle' }).waitFor();
    // The chart counts the two calls of this minute.
    await until(async () => ((await page.locator('.chart-svg').getAttribute('aria-label')) ?? '').startsWith(`${before + 2} calls`), 5000, 'the chart');

    agentSocket.close();
    await agentRow.filter({ hasText: 'no panel' }).waitFor();
  });

  it('shows a pushed RealtimeCTI row, filters by integration and text, and pages older rows in', async () => {
    const page = await openDashboard();
    const status = page.locator('.realtime-status');
    await status.filter({ hasText: '100 shown of 100 loaded' }).waitFor();

    const ack = (await integration.timeout(3000).emitWithAck('RealtimeCTI', {
      type: 'helpdesk',
      channel: { callernum: '+390255577', callername: 'Marco Verdi', queue: 'Support', agentname: 'Andrea Bianco', time: new Date().toISOString() },
      reference: 'TCK-9001',
      url: 'https://helpdesk.example.test/tickets/9001',
    })) as Ack;
    expect(ack.ok).toBe(true);
    const row = page.locator('.rt-row', { hasText: 'TCK-9001' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Marco Verdi');
    expect(await row.locator('a').getAttribute('href')).toBe('https://helpdesk.example.test/tickets/9001');
    // Newest first: the live row is the first one.
    expect(await page.locator('.vlist .rt-row').first().textContent()).toContain('TCK-9001');

    await page.getByLabel('Filter by integration').selectOption('helpdesk');
    await status.filter({ hasText: /^1 shown of 101 loaded/ }).waitFor();
    await page.getByLabel('Filter by integration').selectOption('');
    await page.getByLabel('Filter rows by text').fill('old-1');
    await until(async () => (await page.locator('.vlist .rt-row').allTextContents()).every((text) => text.includes('OLD-1')), 5000, 'text filter');
    await page.getByLabel('Filter rows by text').fill('');

    // Scrolling to the end pages older rows in from GET /api/v1/realtime until none are left.
    for (let loaded = 0; loaded < olderRows + 1; ) {
      await page.locator('.rt-table .vlist').evaluate((list) => list.scrollTo(0, list.scrollHeight));
      await until(async () => {
        const text = (await status.textContent()) ?? '';
        const count = Number(/of ([\d,]+) loaded/.exec(text)?.[1]?.replace(/,/g, '') ?? '0');
        return count > loaded || text.includes('no older rows') ? count : 0;
      }, 5000, 'older rows');
      const text = (await status.textContent()) ?? '';
      loaded = Number(/of ([\d,]+) loaded/.exec(text)?.[1]?.replace(/,/g, '') ?? '0');
      if (text.includes('no older rows')) break;
    }
    await status.filter({ hasText: `${olderRows + 1} shown of ${olderRows + 1} loaded · no older rows` }).waitFor();
    await page.locator('.rt-table .vlist').evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await page.locator('.rt-row', { hasText: 'OLD-0' }).waitFor();
  });

  it('keeps the DOM small with many calls and rows (windowed lists)', async () => {
    const page = await openDashboard();
    const calls = Array.from({ length: 150 }, (_, i) => ringing({ uniqueid: `burst-${i}`, queue: `Q${i % 5}`, peer: `SIP/burst.${i}`, callernum: `+39${i}` }));
    await t.ingest(calls);
    await waitKpi(page, 'waiting', '150');
    expect(await page.locator('.calls-card .call-row').count()).toBeLessThan(40);
    expect(await page.locator('.agents-card .agent-row').count()).toBeLessThan(40);
    expect(await page.locator('.queues-table tbody tr').count()).toBe(5);
    await t.ingest(calls.map((call) => abandon({ uniqueid: call.uniqueid, queue: call.queue, callernum: call.callernum })));
    await waitKpi(page, 'waiting', '0');
  });

  it('reconnects after the hub restarts and starts again from a fresh snapshot', async () => {
    const page = await openDashboard();
    await t.restart();
    await page.locator('.status[data-state="connected"]').waitFor({ timeout: 20_000 });
    const call = { uniqueid: 'after-restart', queue: 'Restarted', peer: 'SIP/dash.agent', callernum: '+390255511' };
    await t.ingest([ringing(call)]);
    // The status may still read "connected" from before the restart until the page notices
    // the close; its reconnection back-off then runs (up to 5 s), slower on a loaded machine.
    await page.locator('.queues-table tr[data-queue="Restarted"] [data-col="waiting"]', { hasText: '1' }).waitFor({ timeout: 25_000 });
    await page.locator('.call-row', { hasText: '+390255511' }).waitFor();
    // The realtime rows come back from the new snapshot.
    await page.locator('.realtime-status').filter({ hasText: /of [\d,]+ loaded/ }).waitFor();
    expect(Number(/of ([\d,]+) loaded/.exec((await page.locator('.realtime-status').textContent()) ?? '')?.[1]?.replace(/,/g, ''))).toBeGreaterThanOrEqual(100);
  });
});
