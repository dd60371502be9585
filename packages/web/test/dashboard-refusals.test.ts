import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { amiField } from '../../sources/src/ami/parser.js';
import { startingAt } from '../../sources/test/ami/action-ami-server.js';
import { hubWithPbx } from '../../server/test/call-control/helpers.js';
import type { TestHub } from '../../server/test/helpers.js';
import { up } from './calls.js';
import { browserTests, describeBrowser, openDashboard } from './browser.js';

/** A source tells the hub that `peer` is a member of `queue` (what a QueueStatus at login says). */
async function member(hub: TestHub, peer: string, queue: string, agentname?: string): Promise<void> {
  const res = await fetch(`${hub.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.tokens.source}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'agentstate', peer, ...(agentname ? { agentname } : {}), queue, member: true, paused: false, status: 'unknown' }),
  });
  expect(res.status).toBeLessThan(300);
}

/** The top bar's outcome reads `text`, as a refusal. */
async function refused(page: Page, text: string): Promise<void> {
  await page.locator('.control-outcome[data-result="error"]', { hasText: `Refused: ${text}` }).waitFor();
}

describeBrowser('dashboard: the PBX\'s refusals, as recorded (c7)', () => {
  const t = browserTests();

  it('pausing an agent the PBX has in no queue shows "Interface not found"', async () => {
    const env = await hubWithPbx('c7-errors', { cut: (lines) => startingAt(lines, (a) => amiField(a, 'Interface') === 'IAX2/1009'), hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    // The hub still believes IAX2/1009 is in Support (say, removed on the PBX while the hub was away).
    await member(env.hub, 'IAX2/1009', 'Support');
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    await page.getByRole('button', { name: 'Pause IAX2/1009' }).click();
    await refused(page, 'Interface not found');
    expect(env.pbx.actions.filter((a) => amiField(a, 'Action') === 'QueuePause').map((a) => amiField(a, 'Interface'))).toEqual(['IAX2/1009']);
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('joining and leaving queues shows each of the PBX\'s texts: no such queue, already there, not dynamic, not there', async () => {
    const env = await hubWithPbx('c7-errors', { cut: (lines) => startingAt(lines, (a) => amiField(a, 'Queue') === 'Marketing'), hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    await member(env.hub, 'IAX2/1000', 'Support', 'Andrea Bianco');
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    await page.locator('.agent-row', { hasText: 'IAX2/1000' }).waitFor();
    await page.locator('#queue-peer').fill('IAX2/1000');
    const attempt = async (queue: string, button: 'Join queue' | 'Leave queue', text: string): Promise<void> => {
      await page.locator('#queue-name').fill(queue);
      await page.getByRole('button', { name: button }).click();
      await refused(page, text);
    };
    await attempt('Marketing', 'Join queue', 'Unable to add interface to queue: No such queue');
    await attempt('Support', 'Join queue', 'Unable to add interface: Already there');
    await attempt('Support', 'Leave queue', 'Member not dynamic');
    await attempt('Support2', 'Leave queue', 'Unable to remove interface: Not there');
    // The agent's queues are as they were.
    await page.locator('.agent-row', { hasText: 'IAX2/1000' }).locator('.agent-queues', { hasText: /^Support$/ }).waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('hanging up a call that is gone on the PBX shows that there is no such call, and sends nothing', async () => {
    const env = await hubWithPbx('c7-errors', { cut: (lines) => startingAt(lines, (a) => amiField(a, 'Action') === 'Hangup'), hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    // The floor shows a call the PBX source has no channel for (its end was lost, say).
    const res = await fetch(`${env.hub.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.hub.tokens.source}`, 'content-type': 'application/json' },
      body: JSON.stringify(up({ uniqueid: '1796236999.99', queue: 'Support', peer: 'IAX2/1000', agentname: 'Andrea Bianco', callernum: '3334445555' })),
    });
    expect(res.status).toBeLessThan(300);
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    await page.getByRole('button', { name: "Hang up Andrea Bianco's call" }).click();
    // The hub answers before the PBX (whose own text would be c7's "No such channel").
    await refused(page, 'no call in progress with uniqueid 1796236999.99');
    expect(env.pbx.actions.filter((a) => amiField(a, 'Action') === 'Hangup')).toEqual([]);
    expect(env.pbx.mismatches).toEqual([]);
  });
});
