import { expect, it } from 'vitest';
import { hubWithPbx, post } from '../../server/test/call-control/helpers.js';
import { browserTests, describeBrowser, openAgentPanel, openDashboard, watchErrors } from './browser.js';
import { until } from '../../../test-support/poll.js';

describeBrowser('agent panel call control', () => {
  const t = browserTests();

  it('pauses with a configured reason and shows how long, then Ready, by keyboard, against the recorded PBX', async () => {
    const env = await hubWithPbx('c5-pause-with-reason', { hub: { webDist: t.pages.dir, config: { pauseReasons: ['Break', 'Lunch'] } } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('.call-controls').waitFor({ state: 'visible' });
    expect(await page.locator('#pause-reason option').allTextContents()).toEqual(['Break', 'Lunch']);
    await page.locator('#pause-reason').selectOption('Lunch');
    await page.locator('#pause-reason').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.control-outcome', { hasText: 'Paused: Lunch' }).waitFor();
    await page.locator('.pause-state[data-paused="true"]', { hasText: 'Paused (Lunch)' }).waitFor();
    await page.getByRole('button', { name: 'Ready' }).click();
    await page.locator('.pause-state[data-paused="false"]').waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('shows Hang up and Transfer while on a call, and the PBX\'s text when an attended transfer is refused', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const env = await hubWithPbx('c4a-atxfer-without-feature-code', { gate, hub: { webDist: t.pages.dir, peer: 'IAX2/1002' } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('.call-controls').waitFor({ state: 'visible' });
    // The recorded call starts once the panel is listening, as on a live PBX.
    open();
    await page.locator('.call-controls .on-call').waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByRole('button', { name: 'Hang up' }).waitFor();
    await page.locator('#transfer-to').fill('7000');
    await page.locator('#transfer-mode').selectOption('attended');
    await page.locator('#transfer-to').press('Enter');
    await page.locator('.control-outcome', { hasText: 'Transfer refused: No attended transfer feature code found' }).waitFor();
  });

  it('dashboard: an agent shows paused with the reason, for how long, and its queues; the supervisor unpauses it', async () => {
    const env = await hubWithPbx('c5-pause-with-reason', { hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    const pause = await post(env.hub, `/api/v1/agents/${encodeURIComponent('IAX2/1000')}/pause`, env.hub.tokens.integration, { paused: true, reason: 'Lunch' });
    expect(pause.body).toMatchObject({ ok: true });
    const row = page.locator('.agent-row', { hasText: 'IAX2/1000' });
    await row.locator('.agent-pause[data-paused="true"]', { hasText: 'Paused (Lunch)' }).waitFor();
    await row.locator('.agent-queues', { hasText: 'Sales, Support' }).waitFor();
    await page.getByRole('button', { name: 'Unpause Andrea Bianco' }).click();
    await page.locator('.control-outcome', { hasText: 'Unpaused IAX2/1000' }).waitFor();
    await row.locator('.agent-pause[data-paused="false"]').waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('dashboard: the supervisor makes an agent join and leave a queue, by keyboard, against the recorded PBX', async () => {
    const env = await hubWithPbx('c6-queue-add-remove', { skip: ['QueueStatus', 'QueueSummary'], hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    // A source tells the hub who IAX2/1003 is (the recording's QueueAdd names the member).
    const known = await fetch(`${env.hub.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.hub.tokens.source}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'agentstate', peer: 'IAX2/1003', agentname: 'Luca Neri', queue: 'Support', member: true, paused: false, status: 'unknown' }),
    });
    expect(known.status).toBeLessThan(300);
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    const row = page.locator('.agent-row', { hasText: 'IAX2/1003' });
    await row.locator('.agent-queues', { hasText: 'Support' }).waitFor();
    await page.locator('#queue-peer').fill('IAX2/1003');
    await page.locator('#queue-name').fill('Sales');
    await page.locator('#queue-name').press('Enter');
    await page.locator('.control-outcome', { hasText: 'IAX2/1003 joined Sales' }).waitFor();
    await row.locator('.agent-queues', { hasText: 'Sales, Support' }).waitFor();
    // Enter again on a queue the agent is in leaves it.
    await page.locator('#queue-name').press('Enter');
    await page.locator('.control-outcome', { hasText: 'IAX2/1003 left Sales' }).waitFor();
    await row.locator('.agent-queues', { hasText: /^Support$/ }).waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('dashboard: the supervisor hangs up an agent\'s call, against the recorded PBX (c2)', async () => {
    const env = await hubWithPbx('c2-hangup-caller', { hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openDashboard(context, env.hub.url, env.hub.tokens.supervisor, t.errors);
    const hangup = page.getByRole('button', { name: "Hang up Giulia Verdi's call" });
    await hangup.waitFor({ timeout: 15_000 });
    await hangup.focus();
    await page.keyboard.press('Enter');
    await page.locator('.control-outcome', { hasText: 'Call hung up' }).waitFor();
    // The call's hangup reached the page: the agent is no longer on it.
    await hangup.waitFor({ state: 'detached' });
    expect(env.pbx.actions.filter((a) => a['Action'] === 'Hangup').map((a) => a['Channel'])).toEqual([expect.stringMatching(/^IAX2\/pstn-/)]);
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('the agent panel knows its pause and queues on connect, from its welcome (c8: paused before the panel opened)', async () => {
    const env = await hubWithPbx('c8-resync-sees-pause', { conns: [2], hub: { webDist: t.pages.dir, peer: 'IAX2/1001' } });
    t.cleanup(() => env.close());
    // The resync's agentstate is stored before the panel opens (read back over HTTP).
    const stored = async (): Promise<boolean> => {
      const res = await fetch(`${env.hub.url}/api/v1/events?after=0`, { headers: { authorization: `Bearer ${env.hub.tokens.supervisor}` } });
      const body = (await res.json()) as { events?: Array<{ event: string; peer?: string }> };
      return (body.events ?? []).filter((e) => e.event === 'agentstate' && e.peer === 'IAX2/1001').length >= 2;
    };
    await until(stored, { what: 'the agentstate of the resync, stored', ms: 10_000, everyMs: 50 });
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('.pause-state[data-paused="true"]', { hasText: 'Paused (Training)' }).waitFor();
    await page.getByRole('button', { name: 'Ready' }).click();
    await page.locator('.control-outcome', { hasText: 'Ready' }).waitFor();
    await page.locator('.pause-state[data-paused="false"]').waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });
});
