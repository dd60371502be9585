import { mkdir } from 'node:fs/promises';
import type { UnnumberedEvent } from '@shuttle-cti/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { byTime, outboundEvent, queueCallEvents } from '../../store/test/call-events.js';
import { startTestHub, type TestHub } from '../../server/test/helpers.js';
import { browserTests, describeBrowser, openDashboard } from './browser.js';

/** Written to screenshots-tmp/ on every run, to docs/screenshots/ with UPDATE_SCREENSHOTS=1 (as screenshots.test.ts). */
const outDirs = [new URL('../../../screenshots-tmp/', import.meta.url)];
if (process.env['UPDATE_SCREENSHOTS'] === '1') outDirs.push(new URL('../../../docs/screenshots/', import.meta.url));

// 2 March 2026, in Rome (UTC+1): Support has 3 calls in the 09:00 hour, one of them
// abandoned, answered in 10 and 30 s (sla 20: service level 1/3 = 33.3%); Sales one
// call answered in 5 s (100%).
const B0 = Date.parse('2026-03-02T08:00:00Z');
const fixed = byTime([
  ...queueCallEvents({ uniqueid: 'w1', queue: 'Support', enteredMs: B0 + 60_000, rings: [{ peer: 'SIP/anna', at: 1 }], answer: { peer: 'SIP/anna', hold: 10, talk: 100 } }),
  ...queueCallEvents({ uniqueid: 'w2', queue: 'Support', enteredMs: B0 + 600_000, rings: [{ peer: 'SIP/anna', at: 1, noAnswer: 'timeout' }, { peer: 'SIP/bruno', at: 16 }], answer: { peer: 'SIP/bruno', hold: 30, talk: 200 } }),
  ...queueCallEvents({ uniqueid: 'w3', queue: 'Support', enteredMs: B0 + 1_200_000, rings: [{ peer: 'SIP/anna', at: 2, noAnswer: 'caller-left' }], abandon: { hold: 45 } }),
  ...queueCallEvents({ uniqueid: 'w4', queue: 'Sales', enteredMs: B0 + 4_000_000, rings: [{ peer: 'SIP/bruno', at: 1 }], answer: { peer: 'SIP/bruno', hold: 5, talk: 50 } }),
  outboundEvent('wo1', 'SIP/anna', B0 + 500_000),
]);

/** A working day (3 March, 08:00–18:00 in Rome) of traffic for the screenshot: deterministic. */
function busyDay(): UnnumberedEvent[] {
  const names = ['Andrea Bianco', 'Luca Ferri', 'Sara Conti', 'Paolo Gallo', 'Elena Moretti', 'Marco Ricci'];
  const peers = names.map((n) => `SIP/${n.toLowerCase().replace(' ', '.')}`);
  const queues = ['Support', 'Sales', 'Billing'];
  let x = 7;
  const rnd = (): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const start = Date.parse('2026-03-03T07:00:00Z');
  const events: UnnumberedEvent[] = [];
  for (let hour = 0; hour < 10; hour++) {
    // Busier mid-morning and after lunch.
    const calls = Math.round(14 + 12 * Math.sin(((hour + 1) / 10) * Math.PI) + rnd() * 6);
    for (let i = 0; i < calls; i++) {
      const queue = queues[Math.floor(rnd() * rnd() * queues.length)] as string;
      const p = Math.floor(rnd() * peers.length);
      const peer = peers[p] as string;
      const enteredMs = start + hour * 3_600_000 + Math.floor(rnd() * 3_600_000);
      const hold = Math.floor(rnd() * rnd() * (queue === 'Billing' ? 90 : 45));
      const uniqueid = `d${hour}-${i}`;
      const ring = { peer, agentname: names[p] as string, at: Math.max(0, hold - 4) };
      if (rnd() < 0.1 + hold / 400) events.push(...queueCallEvents({ uniqueid, queue, enteredMs, rings: [ring], abandon: { hold: hold + 5 } }));
      else events.push(...queueCallEvents({ uniqueid, queue, enteredMs, rings: [ring], answer: { peer, agentname: names[p] as string, hold, talk: 60 + Math.floor(rnd() * 400) } }));
      if (rnd() < 0.15) events.push(outboundEvent(`${uniqueid}-out`, peer, enteredMs + 900_000));
    }
  }
  return byTime(events);
}

describeBrowser('dashboard reports', () => {
  const b = browserTests();
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub({ webDist: b.pages.dir, config: { reports: { timeZone: 'Europe/Rome' } } });
    await t.hub.store.appendEvents(fixed);
    await t.hub.store.appendEvents(busyDay());
  });
  afterAll(async () => {
    await t?.stop();
  });

  const openReports = async (day: string, viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const context = await b.context({ viewport, acceptDownloads: true });
    const page = await openDashboard(context, t.url, t.tokens.supervisor, b.errors);
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.locator('.report-status', { hasText: /times in/ }).waitFor();
    await page.getByLabel('From (date)').fill(day);
    await page.getByLabel('To (date, inclusive)').fill(day);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('.report-status', { hasText: `${day} · times in Europe/Rome` }).waitFor();
    return page;
  };
  const cells = async (page: Page, selector: string): Promise<string[]> =>
    (await page.locator(`${selector} > *`).allTextContents()).map((s) => s.trim());

  it('shows the hub’s figures: queues coloured against the target, agents, the chart', async () => {
    const page = await openReports('2026-03-02');
    await page.locator('tr[data-queue="Support"]').waitFor();
    expect(await cells(page, 'tr[data-queue="Support"]')).toEqual(['Support', '3', '2', '1', '33.3%', '20 s', '2:30', '45 s', '33.3%']);
    expect(await cells(page, 'tr[data-queue="Sales"]')).toEqual(['Sales', '1', '1', '0', '100%', '5 s', '50 s', '5 s', '0%']);
    await expect.poll(() => page.locator('tr[data-queue="Support"] .sl').getAttribute('data-sl')).toBe('below');
    expect(await page.locator('tr[data-queue="Sales"] .sl').getAttribute('data-sl')).toBe('met');
    // Anna: rung 3 times (one timeout), answered 1, talked 100 s, one outbound call.
    expect(await cells(page, 'tr[data-peer="SIP/anna"]')).toEqual(['Agent annaSIP/anna', '3', '1', '1', '1:40', '1:40', '1', '0 s']);
    // 24 hourly intervals, three bars each.
    expect(await page.locator('.rc-svg rect').count()).toBe(72);
    expect(await page.locator('.rc-svg rect title', { hasText: /3 offered/ }).count()).toBe(1);

    // A lower target turns Support amber; answered within 30 s makes it 2 of 3.
    await page.getByLabel('Service level target (%)').fill('40');
    await expect.poll(() => page.locator('tr[data-queue="Support"] .sl').getAttribute('data-sl')).toBe('near');
    await page.getByLabel('Service level: answered within (seconds)').fill('30');
    await page.getByLabel('Service level: answered within (seconds)').press('Enter');
    await page.locator('tr[data-queue="Support"] .sl', { hasText: '66.7%' }).waitFor();
    expect(await page.locator('tr[data-queue="Support"] .sl').getAttribute('data-sl')).toBe('met');
  });

  it('downloads the report as CSV', async () => {
    const page = await openReports('2026-03-02');
    await page.getByLabel('Interval', { exact: true }).selectOption('total');
    await page.locator('tr[data-queue="Support"]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.report-card', { hasText: 'Queues' }).getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('queues-2026-03-02-2026-03-02-total.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    expect(text.split('\r\n')).toEqual([
      'queue,from,to,offered,answered,abandoned,answeredWithinSla,serviceLevel,asa,aht,maxWait,abandonRate',
      'Sales,2026-03-01T23:00:00.000Z,2026-03-02T23:00:00.000Z,1,1,0,1,100,5,50,5,0',
      'Support,2026-03-01T23:00:00.000Z,2026-03-02T23:00:00.000Z,3,2,1,1,33.3,20,150,45,33.3',
      '',
    ]);
  });

  it('reads well: a screenshot of a busy day', async () => {
    const page = await openReports('2026-03-03', { width: 1360, height: 940 });
    await page.locator('tr[data-queue="Billing"]').waitFor();
    for (const dir of outDirs) {
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: new URL('reports.png', dir).pathname });
    }
  });
});
