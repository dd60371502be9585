import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHub, type Hub } from '../../server/src/hub.js';
import { connectClient, startTestHub, type TestHub } from '../../server/test/helpers.js';
import { until } from '../../../test-support/poll.js';
import { buildPages, describeBrowser, launchBrowser, newContext, openAgentPanel, startTargetServer, watchErrors, type TargetServer } from './browser.js';

/** A port nothing listens on now, so that each hub can be told the other's address before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
    // Each hub lists the other (web.hubs): the pages fail over only to hubs their hub names.
    const [portA, portB] = [await freePort(), await freePort()];
    const hubs = { a: `http://127.0.0.1:${portA}`, b: `http://127.0.0.1:${portB}` };
    [a, target, browser] = await Promise.all([
      startTestHub({ webDist: pages.dir, config: { port: portA, web: { hubs: [hubs.b] } } }),
      startTargetServer(),
      launchBrowser(),
    ]);
    // A second hub on the same store: same tokens, another port.
    b = await createHub({ config: { host: '127.0.0.1', port: portB, logLevel: 'silent', dataDir: a.dataDir, web: { hubs: [hubs.a] } }, webDist: pages.dir });
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

  it('the agent panel of a hub listing another one moves to the next hub when its hub goes away, and pops from there', async () => {
    context = await newContext(browser);
    const page = await openAgentPanel(context, a.url, a.tokens.agent);
    watchErrors(page, errors);
    await a.hub.close();
    // The page's status may still read "connected" from hub a for a moment: wait for hub b's session.
    await until(async () => ((await b.metrics.sessions.get()).values.find((v) => v.labels['role'] === 'agent')?.value ?? 0) > 0, {
      ms: 15_000,
      what: 'the agent panel connected to hub b',
    });
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
