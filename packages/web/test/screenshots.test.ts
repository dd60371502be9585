import { mkdir } from 'node:fs/promises';
import type { UnnumberedEvent } from '@shuttle-cti/store';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken } from '../../server/src/auth.js';
import { connectClient, startTestHub, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openAgentPanel, openDashboard, startTargetServer, type TargetServer } from './browser.js';
import { abandon, hangup, ringing, up, type CallSpec } from './calls.js';

/**
 * Screenshots of both pages in a realistic state, for the README. They are written to
 * screenshots-tmp/ on every run, and to docs/screenshots/ (committed) only with
 * UPDATE_SCREENSHOTS=1, so a test run does not dirty the tree.
 */
const outDirs = [new URL('../../../screenshots-tmp/', import.meta.url)];
if (process.env['UPDATE_SCREENSHOTS'] === '1') outDirs.push(new URL('../../../docs/screenshots/', import.meta.url));

const agents = [
  { peer: 'SIP/andrea.bianco', name: 'Andrea Bianco' },
  { peer: 'SIP/luca.ferri', name: 'Luca Ferri' },
  { peer: 'SIP/sara.conti', name: 'Sara Conti' },
  { peer: 'SIP/paolo.gallo', name: 'Paolo Gallo' },
  { peer: 'SIP/elena.moretti', name: 'Elena Moretti' },
  { peer: 'SIP/marco.ricci', name: 'Marco Ricci' },
];
const queues = ['Support', 'Sales', 'Billing'];
const callers = ['Giulia Rossi', 'Matteo Esposito', 'Chiara Romano', 'Davide Colombo', 'Francesca Bruno', 'Alessandro Greco', 'Martina Marino', 'Simone Lombardi'];

describeBrowser('screenshots', () => {
  let t: TestHub;
  let target: TargetServer;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    pages = await buildPages();
    [t, target, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), startTargetServer(), launchBrowser()]);
    // The last hour of traffic, stored as a running hub would have stored it (for the
    // chart, which back-fills from GET /api/v1/events); the restart makes the hub count it.
    await t.hub.store.appendEvents(pastHour());
    await t.restart();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await browser?.close();
    await target?.close();
    await t?.stop();
    await pages?.remove();
  });

  const save = async (page: Page, name: string): Promise<void> => {
    for (const dir of outDirs) {
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: new URL(name, dir).pathname });
    }
  };
  const tokenFor = async (role: 'agent' | 'supervisor' | 'integration', name: string, peer?: string) =>
    (await createToken(t.hub.store, { role, name, ...(peer === undefined ? {} : { peer }) })).secret;

  it('agent panel: a call in progress, a CRM page in the panel, history and a toast', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    sockets.push(integration);
    const send = (command: string, payload: Record<string, unknown>) => integration.timeout(3000).emitWithAck(command, payload);
    const andrea = agents[0]!;
    const context = await newContext(browser);
    const page = await openAgentPanel(context, t.url, await tokenFor('agent', andrea.name, andrea.peer));

    const earlier = context.waitForEvent('page');
    await send('AgentCTI', { url: `${target.url}/crm/48213`, peer: andrea.peer, mode: 'new_tab' });
    await (await earlier).close();
    await send('AgentCTINotification', { peer: andrea.peer, type: 'success', title: 'Ticket 48213 updated', body: 'Status set to Resolved' });
    const call: CallSpec = { uniqueid: 'shot-1', queue: 'Support', peer: andrea.peer, agentname: andrea.name, callernum: '+39 02 555 0101', callername: 'Giulia Rossi' };
    await t.ingest([ringing(call), up(call, '18')]);
    await send('AgentCTI', { url: `${target.url}/crm/C-10442`, peer: andrea.peer, mode: 'new_frame' });
    await send('AgentCTINotification', { peer: andrea.peer, type: 'warning', title: 'Premium customer', body: 'Two open tickets: offer a callback if the issue is not solved today.' });
    await page.locator('.call-card[data-phase="talking"]').waitFor();
    await page.frameLocator('.frame-panel iframe').locator('h1').waitFor();
    await page.locator('.toast-warning').waitFor();
    await page.locator('.history-item').nth(3).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await save(page, 'agent-panel.png');
    await context.close();
  });

  it('dashboard: live calls, agents, counters, chart and Integration Realtime', async () => {
    for (const agent of agents.slice(0, 5)) {
      sockets.push(await connectClient(t.url, '/agent', { token: await tokenFor('agent', agent.name, agent.peer) }));
    }
    // Some finished calls today, then what is happening now.
    const done: unknown[] = [];
    for (let i = 0; i < 6; i += 1) {
      const agent = agents[i % agents.length]!;
      const call: CallSpec = { uniqueid: `done-${i}`, queue: queues[i % 3]!, peer: agent.peer, agentname: agent.name, callernum: `+39 06 555 ${1000 + i}`, callername: callers[i % callers.length]! };
      done.push(ringing(call), up(call, String(8 + ((i * 7) % 40))), hangup(call, i % 3 === 0 ? 'agent' : 'caller', String(60 + i * 13)));
    }
    done.push(abandon({ uniqueid: 'lost-1', queue: 'Sales', callernum: '+39 02 555 7788' }), abandon({ uniqueid: 'lost-2', queue: 'Support', callernum: '+39 011 555 2301' }));
    await t.ingest(done);
    const now: unknown[] = [];
    const talking = [0, 1, 2, 4];
    talking.forEach((agentIndex, i) => {
      const agent = agents[agentIndex]!;
      const call: CallSpec = { uniqueid: `now-${i}`, queue: queues[i % 3]!, peer: agent.peer, agentname: agent.name, callernum: `+39 02 555 ${2100 + i}`, callername: callers[(i + 3) % callers.length]! };
      now.push(ringing(call), up(call, String(5 + i * 9)));
    });
    for (let i = 0; i < 3; i += 1) {
      const agent = agents[3]!;
      now.push(ringing({ uniqueid: `wait-${i}`, queue: i === 2 ? 'Sales' : 'Support', peer: agent.peer, agentname: agent.name, callernum: `+39 045 555 ${3300 + i}`, ...(i === 1 ? {} : { callername: callers[(i + 5) % callers.length]! }) }));
    }
    await t.ingest(now);

    const integration = sockets[0]!;
    const integrations = ['crm-sync', 'helpdesk', 'billing'];
    for (let i = 0; i < 14; i += 1) {
      const agent = agents[i % agents.length]!;
      await integration.timeout(3000).emitWithAck('RealtimeCTI', {
        type: integrations[i % 3],
        channel: { callernum: `+39 06 555 ${1000 + i}`, callername: callers[i % callers.length], queue: queues[i % 3], agentname: agent.name, time: new Date().toISOString() },
        reference: i % 3 === 1 ? `TCK-${48200 + i}` : i % 3 === 0 ? `C-${10430 + i}` : `INV-2025-${700 + i}`,
        url: `https://${integrations[i % 3]}.example.test/records/${i}`,
      });
    }

    const context = await newContext(browser);
    const errors: string[] = [];
    const page = await openDashboard(context, t.url, await tokenFor('supervisor', 'Floor supervisor'), errors);
    await page.locator('[data-kpi="waiting"]', { hasText: /^3$/ }).waitFor();
    await page.locator('.chart-note:empty').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await save(page, 'dashboard.png');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** About three calls a minute over the last hour, busier in the middle; a few abandoned. */
function pastHour(): UnnumberedEvent[] {
  const events: UnnumberedEvent[] = [];
  const start = Date.now() - 60 * 60_000;
  for (let minute = 1; minute < 59; minute += 1) {
    const count = 1 + Math.round(2.5 + 2 * Math.sin(minute / 9) + ((minute * 7) % 5) / 2);
    for (let i = 0; i < count; i += 1) {
      const at = (offset: number) => new Date(start + minute * 60_000 + i * 9_000 + offset * 1000).toISOString();
      const agent = agents[(minute + i) % agents.length]!;
      const call: CallSpec = { uniqueid: `past-${minute}-${i}`, queue: queues[(minute + i) % 3]!, peer: agent.peer, agentname: agent.name, callernum: `+39 02 ${minute}${i}` };
      const lost = (minute * 3 + i) % 11 === 0;
      const raw = lost ? [abandon(call)] : [ringing(call), up(call), hangup(call)];
      raw.forEach((event, n) => events.push({ ...event, time: at(n * 2), variables: {} }));
    }
  }
  return events;
}
