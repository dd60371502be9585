import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHub, type Hub } from '../../server/src/hub.js';
import { connectClient, startTestHub, type TestHub } from '../../server/test/helpers.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openAgentPanel, startTargetServer, watchErrors, type TargetServer } from './browser.js';

describeBrowser('several hubs', () => {
  let a: TestHub;
  let b: Hub;
  let target: TargetServer;
  let browser: Browser;
  let context: BrowserContext;
  let pages: Awaited<ReturnType<typeof buildPages>>;
  const errors: string[] = [];

  beforeAll(async () => {
    pages = await buildPages();
    [a, target, browser] = await Promise.all([startTestHub({ webDist: pages.dir }), startTargetServer(), launchBrowser()]);
    // A second hub on the same store: same tokens, another port.
    b = await createHub({ config: { host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir: a.dataDir }, webDist: pages.dir });
    await b.listen();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await target?.close();
    await b?.close();
    await a?.stop();
    await pages?.remove();
  });

  it('the agent panel given ?hubs= moves to the next hub when its hub goes away, and pops from there', async () => {
    context = await newContext(browser);
    const page = await openAgentPanel(context, a.url, a.tokens.agent, `?hubs=${a.url},${b.url}`);
    watchErrors(page, errors);
    await a.hub.close();
    await page.locator('.status[data-state="connected"]').waitFor({ timeout: 15_000 });

    const integration = await connectClient(b.url, '/', { token: a.tokens.integration });
    const ack = (await integration.timeout(3000).emitWithAck('AgentCTI', { url: `${target.url}/crm/failover`, peer: a.peer, mode: 'new_frame' })) as {
      ok: boolean;
      id: string;
      delivered: number;
    };
    expect(ack).toMatchObject({ ok: true, delivered: 1 });
    await page.locator(`.history-item[data-id="${ack.id}"]`).waitFor();
    integration.close();
    expect(errors).toEqual([]);
  });
});
