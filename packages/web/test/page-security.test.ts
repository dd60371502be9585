import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectClient, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { browserTests, describeBrowser, openAgentPanel, openDashboard, startTargetServer, watchErrors } from './browser.js';

describeBrowser('page security', () => {
  const b = browserTests();
  let t: TestHub;

  beforeAll(async () => {
    // A page of the hub's own origin that tries to reach into the panel that frames it.
    await writeFile(
      join(b.pages.dir, 'assets', 'reach-parent.html'),
      '<!doctype html><title>loading</title><script>try { parent.document.title = "pwned"; document.title = "reached" } catch { document.title = "blocked" }</script><p>x</p>',
    );
    t = await startTestHub({ webDist: b.pages.dir, config: { web: { frameAncestors: ["'self'", 'https://crm.example.test'] } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves /agent and /dashboard with a Content-Security-Policy, nosniff and a Referrer-Policy; frame-ancestors as configured', async () => {
    for (const path of ['/agent', '/dashboard']) {
      const response = await fetch(t.url + path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('frame-src http: https:');
      expect(csp).toContain("frame-ancestors 'self' https://crm.example.test");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('the pages run under that policy without a single violation', async () => {
    const context = await b.context();
    const violations: string[] = [];
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const agent = await openAgentPanel(context, t.url, t.tokens.agent);
    watchErrors(agent, b.errors);
    await openDashboard(context, t.url, t.tokens.supervisor, b.errors);
    expect(violations).toEqual([]);
  });

  it('the dashboard shows a non-ASCII peer escaped, so it cannot pass for another', async () => {
    const lookalike = await connectClient(t.url, '/agent', { token: await t.agentToken('SIP/\u0430lice') });
    const context = await b.context();
    const dashboard = await openDashboard(context, t.url, t.tokens.supervisor, b.errors);
    await dashboard.locator('.agent-who', { hasText: 'SIP/\\u{430}lice' }).first().waitFor();
    expect(await dashboard.locator('.agent-who').allTextContents()).not.toContainEqual(expect.stringContaining('\u0430'));
    lookalike.close();
  });

  it("a new_frame pop of the hub's own origin runs without access to the panel", async () => {
    const context = await b.context();
    const page = await openAgentPanel(context, t.url, t.tokens.agent);
    watchErrors(page, b.errors);
    const title = await page.title();
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    await integration.timeout(3000).emitWithAck('AgentCTI', { url: `${t.url}/assets/reach-parent.html`, peer: t.peer, mode: 'new_frame' });
    const outcome = await until(
      async () => {
        const frame = page.frames().find((f) => f.url().includes('reach-parent.html'));
        const text = await frame?.title().catch(() => undefined);
        return text === 'blocked' || text === 'reached' ? text : undefined;
      },
      10_000,
      'the framed page to run',
    );
    expect(outcome).toBe('blocked');
    expect(await page.title()).toBe(title);
    expect(await page.locator('.frame-panel iframe').getAttribute('sandbox')).not.toContain('allow-same-origin');
    integration.close();
  });

  it('with --trust-loopback, a page of another site open in a browser on the hub host cannot become an integration', async () => {
    const trusting = await startTestHub({ config: { trustLoopbackIntegrations: true } });
    const site = await startTargetServer();
    try {
      const context = await b.context();
      const page = await context.newPage();
      await page.goto(`${site.url}/crm/elsewhere`);
      const wsUrl = `${trusting.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
      // The attack: a plain WebSocket (no CORS applies) speaking socket.io, then the polling handshake with credentials.
      const outcome = await page.evaluate(
        async ({ wsUrl, pollUrl }) => {
          const socket = await new Promise<string>((resolve) => {
            const ws = new WebSocket(wsUrl);
            const seen: string[] = [];
            ws.onmessage = (m) => {
              const text = String(m.data);
              seen.push(text);
              if (text.startsWith('0')) ws.send('40');
              if (text.startsWith('42["welcome"')) resolve(`became an integration: ${seen.join(' | ')}`);
            };
            ws.onerror = () => resolve('refused');
            ws.onclose = () => resolve('refused');
          });
          const polling = await fetch(pollUrl, { credentials: 'include' }).then(
            (r) => `read ${r.status}`,
            () => 'blocked',
          );
          return { socket, polling };
        },
        { wsUrl, pollUrl: `${trusting.url}/socket.io/?EIO=4&transport=polling` },
      );
      expect(outcome).toEqual({ socket: 'refused', polling: 'blocked' });
      expect(trusting.hub.io.of('/').sockets.size).toBe(0);
    } finally {
      await site.close();
      await trusting.stop();
    }
  });
});
