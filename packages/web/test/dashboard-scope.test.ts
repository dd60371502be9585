import { expect, it } from 'vitest';
import { createToken } from '../../server/src/auth.js';
import { startTestHub } from '../../server/test/helpers.js';
import { browserTests, describeBrowser, openDashboard } from './browser.js';
import { abandon, hangup, ringing, up } from './calls.js';

describeBrowser('supervisor dashboard with a scoped token', () => {
  const b = browserTests();

  it("shows the scope it is limited to, and counts its scope's calls only", async () => {
    const t = await startTestHub({ webDist: b.pages.dir });
    b.cleanup(() => t.stop());
    // Before it opens: 2 Sales calls (1 answered, 1 abandoned) and 3 Billing ones.
    const sales1 = { uniqueid: 'sc.1', queue: 'Sales', peer: 'SIP/sales.one', callernum: '+390111' };
    const sales2 = { uniqueid: 'sc.2', queue: 'Sales', peer: 'SIP/sales.two', callernum: '+390112' };
    await t.ingest([ringing(sales1), up(sales1), hangup(sales1), ringing(sales2), abandon(sales2)]);
    for (let i = 0; i < 3; i++) {
      const billing = { uniqueid: `sb.${i}`, queue: 'Billing', peer: 'SIP/billing.one', callernum: `+39022${i}` };
      await t.ingest([ringing(billing), up(billing), hangup(billing)]);
    }
    const { secret } = await createToken(t.hub.store, { role: 'supervisor', name: 'sales-lead', scope: { queues: ['Sales', 'Support'], peers: ['SIP/a'] } });
    const context = await b.context();
    const page = await openDashboard(context, t.url, secret, b.errors);
    await page.locator('.scope-note', { hasText: 'Scope: queues Sales, Support · peers SIP/a' }).waitFor();
    const kpi = (name: string, value: string) => page.locator(`[data-kpi="${name}"]`, { hasText: new RegExp(`^${value}$`) }).waitFor();
    await kpi('calls', '2');
    await kpi('answered', '1');
    await kpi('abandoned', '1');
    // Live: a Billing call does not count, a Sales one does.
    const billing = { uniqueid: 'sb.live', queue: 'Billing', peer: 'SIP/billing.one', callernum: '+390229' };
    const sales3 = { uniqueid: 'sc.3', queue: 'Sales', peer: 'SIP/sales.one', callernum: '+390113' };
    await t.ingest([ringing(billing), ringing(sales3)]);
    await kpi('calls', '3');
    await page.locator('[data-kpi="waiting"]', { hasText: /^1$/ }).waitFor();
    expect(await page.getByText('+390229').count()).toBe(0);
    expect(await page.getByText('SIP/billing.one').count()).toBe(0);

    // An unscoped supervisor sees everything and no scope.
    const all = await openDashboard(context, t.url, t.tokens.supervisor, b.errors);
    await all.locator('[data-kpi="calls"]', { hasText: /^7$/ }).waitFor();
    expect(await all.locator('.scope-note').isVisible()).toBe(false);
  });

  it('drops an agent that leaves its queues; an unscoped dashboard keeps it', async () => {
    const t = await startTestHub({ webDist: b.pages.dir });
    b.cleanup(() => t.stop());
    const member = (queue: string, isMember: boolean) => ({ event: 'agentstate' as const, peer: 'SIP/leaver', agentname: 'Lea Ver', queue, member: isMember, paused: false, status: 'idle' });
    await t.hub.sink.agentState(member('Support', true));
    await t.hub.sink.agentState(member('Billing', true));
    const { secret } = await createToken(t.hub.store, { role: 'supervisor', name: 'support-lead', scope: { queues: ['Support'], peers: [] } });
    const context = await b.context();
    const page = await openDashboard(context, t.url, secret, b.errors);
    const all = await openDashboard(context, t.url, t.tokens.supervisor, b.errors);
    const leaver = (p: typeof page) => p.locator('.agent-who', { hasText: 'SIP/leaver' });
    await leaver(page).waitFor();
    await leaver(all).waitFor();
    await t.hub.sink.agentState(member('Support', false));
    await leaver(page).waitFor({ state: 'detached' });
    // Still a Billing member: the unscoped dashboard shows it with its one queue left.
    await all.locator('.agent-queues', { hasText: /^Billing$/ }).waitFor();
    expect(await leaver(all).count()).toBe(1);
  });
});
