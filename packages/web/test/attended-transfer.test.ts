import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { hubWithPbx } from '../../server/test/call-control/helpers.js';
import { browserTests, describeBrowser, openAgentPanel, watchErrors } from './browser.js';

describeBrowser('agent panel attended transfer', () => {
  const t = browserTests();

  /** Giulia Verdi's panel (IAX2/1002) on the recorded call, with an attended transfer to 7000 consulting. */
  async function consulting(recording: string): Promise<{ page: Page; env: Awaited<ReturnType<typeof hubWithPbx>> }> {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const env = await hubWithPbx(recording, { gate, hub: { webDist: t.pages.dir, peer: 'IAX2/1002' } });
    t.cleanup(() => env.close());
    const context = await t.context();
    const page = await openAgentPanel(context, env.hub.url, env.hub.tokens.agent);
    watchErrors(page, t.errors);
    await page.locator('.call-controls').waitFor({ state: 'visible' });
    open();
    await page.locator('.call-controls .on-call').waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('#transfer-to').fill('7000');
    await page.locator('#transfer-mode').selectOption('attended');
    await page.locator('#transfer-to').press('Enter');
    await page.locator('.control-outcome[data-result="ok"]', { hasText: 'Consulting 7000: hang up to complete the transfer' }).waitFor();
    return { page, env };
  }

  it('Cancel transfer brings the agent back to the caller (recorded c4b: CancelAtxfer)', async () => {
    const { page, env } = await consulting('c4b-atxfer-cancelled');
    const cancel = page.getByRole('button', { name: 'Cancel transfer' });
    await cancel.focus();
    await page.keyboard.press('Enter');
    await page.locator('.control-outcome[data-result="ok"]', { hasText: 'Transfer cancelled: back with the caller' }).waitFor();
    await cancel.waitFor({ state: 'hidden' });
    // The caller hangs up later in the recording: the call ended with the caller, not transferred.
    await page.locator('.call-card[data-phase="ended"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.call-card').textContent()).not.toMatch(/transferred/i);
    expect(env.pbx.actions.map((a) => a['Action']).filter((a) => a === 'Atxfer' || a === 'CancelAtxfer')).toEqual(['Atxfer', 'CancelAtxfer']);
    expect(env.pbx.mismatches).toEqual([]);
  });

  it('hanging up while consulting completes the transfer: the call ends transferred (recorded c4)', async () => {
    const { page, env } = await consulting('c4-atxfer-completed');
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.locator('.call-card[data-phase="ended"]', { hasText: /transferred/i }).waitFor({ timeout: 15_000 });
    await page.locator('.call-controls .on-call').waitFor({ state: 'hidden' });
    expect(env.pbx.actions.map((a) => a['Action']).filter((a) => a === 'Atxfer' || a === 'Hangup')).toEqual(['Atxfer', 'Hangup']);
    expect(env.pbx.mismatches).toEqual([]);
  });
});
