import { expect, it } from 'vitest';
import { amiField } from '../../sources/src/ami/parser.js';
import { startingAt } from '../../sources/test/ami/action-ami-server.js';
import { hubWithPbx } from '../../server/test/call-control/helpers.js';
import type { TestHub } from '../../server/test/helpers.js';
import { browserTests, describeBrowser, openAgentPanel, watchErrors } from './browser.js';

/** What a source (here standing in for the QueueStatus a real PBX answers at login) tells the hub about a member. */
async function knownMember(hub: TestHub, peer: string, agentname: string): Promise<void> {
  const res = await fetch(`${hub.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.tokens.source}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'agentstate', peer, agentname, queue: 'Support', member: true, paused: false, status: 'unknown' }),
  });
  expect(res.status).toBeLessThan(300);
}

describeBrowser('agent panel dial box', () => {
  const t = browserTests();

  it('a tel: link fills the dial box, Enter dials, and the outcome and the outbound call appear (recorded c1)', async () => {
    const env = await hubWithPbx('c1-click-to-dial', { hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    await knownMember(env.hub, 'IAX2/1000', 'Andrea Bianco');
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('.call-controls').waitFor({ state: 'visible' });
    // A tel: link in the panel's page, as a CRM snippet or a notification would put there.
    await page.evaluate(() => {
      const link = document.createElement('a');
      link.href = 'tel:02-9876-5432';
      link.textContent = 'Call the customer';
      document.querySelector('main')?.append(link);
    });
    await page.getByRole('link', { name: 'Call the customer' }).click();
    expect(page.url()).not.toMatch(/^tel:/);
    await expect.poll(() => page.locator('#dial-number').inputValue()).toBe('02-9876-5432');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('dial-number');
    await page.keyboard.press('Enter');
    await page.locator('.control-outcome[data-result="ok"]', { hasText: 'Dialling 0298765432: answer your phone' }).waitFor({ timeout: 15_000 });
    await page.locator('.call-card[data-phase="outbound"]', { hasText: '0298765432' }).waitFor();
    await page.locator('.call-controls .on-call').waitFor({ state: 'visible' });

    // The hub named the agent on the PBX as the recording does, and sent no variables the panel did not give.
    const originate = env.pbx.actions.find((a) => amiField(a, 'Action') === 'Originate');
    expect(originate && amiField(originate, 'CallerID')).toBe('"Andrea Bianco" <1000>');
    expect(originate && amiField(originate, 'Variable')).toBeUndefined();
    expect(originate && amiField(originate, 'Exten')).toBe('0298765432');
    // The replay shows the recorded variables unset, as Asterisk would: the outbound event has none.
    const res = await fetch(`${env.hub.url}/api/v1/events?after=0`, { headers: { authorization: `Bearer ${env.hub.tokens.supervisor}` } });
    const { events } = (await res.json()) as { events: Array<{ event: string; agentname?: string; variables?: Record<string, string> }> };
    expect(events.find((e) => e.event === 'outbound')).toMatchObject({ agentname: 'Andrea Bianco', variables: {} });
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('shows the PBX\'s refusal of a dial (recorded c7: PJSIP not loaded, Reason 0)', async () => {
    const env = await hubWithPbx('c7-errors', {
      cut: (lines) => startingAt(lines, (a) => amiField(a, 'Channel') === 'PJSIP/9999'),
      hub: { webDist: t.pages.dir, peer: 'PJSIP/9999' },
    });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('#dial-number').fill('0298765432');
    await page.locator('#dial-number').press('Enter');
    await page
      .locator('.control-outcome[data-result="PBX_ERROR"]', { hasText: 'Dial refused: Originate failed: Reason 0 (no channel could be created (unknown technology or peer))' })
      .waitFor({ timeout: 15_000 });
    await page.locator('.call-card[data-phase="idle"]').waitFor();
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('an invalid number is refused by the hub with the field named, and nothing reaches the PBX', async () => {
    const env = await hubWithPbx('c1-click-to-dial', { hub: { webDist: t.pages.dir } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('#dial-number').fill('0298abc');
    await page.locator('#dial-number').press('Enter');
    await page.locator('.control-outcome[data-result="INVALID_PAYLOAD"]', { hasText: 'Dial refused:' }).waitFor();
    expect(env.pbx.actions.filter((a) => amiField(a, 'Action') === 'Originate')).toEqual([]);
  });
});
