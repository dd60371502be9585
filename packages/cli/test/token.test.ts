import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-token-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shuttle-cti token', () => {
  it('creates, lists and revokes tokens on the store of a running hub, taking effect at once', async () => {
    const data = join(dir, 'data');
    const hub = await startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], /Stop with Ctrl\+C/);
    const url = /hub listening on (http:\/\/\S+)/.exec(hub.output())?.[1] as string;

    const created = await runCli(['token', 'create', '--role', 'integration', '--name', 'crm-bridge', '--data', data]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sct_[\w-]{20,}$/);
    expect(created.stdout).toBe(`${token}\n`);

    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.on('welcome', () => resolve());
      socket.on('connect_error', reject);
    });

    const list = await runCli(['token', 'list', '--json', '--data', data]);
    const tokens = JSON.parse(list.stdout) as { id: string; name: string; role: string }[];
    const mine = tokens.find((t) => t.name === 'crm-bridge');
    expect(mine?.role).toBe('integration');
    expect(list.stdout).not.toContain(token);
    const table = await runCli(['token', 'list', '--data', data]);
    expect(table.stdout).toMatch(/ID\s+ROLE\s+PEER\s+NAME/);

    const disconnected = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
    const revoked = await runCli(['token', 'revoke', mine?.id ?? '', '--data', data]);
    expect(revoked.code).toBe(0);
    await disconnected;
    socket.close();

    const again = await runCli(['token', 'revoke', mine?.id ?? '', '--data', data]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no active token');
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.output()).not.toContain(token);
  });

  it('checks its arguments', async () => {
    const data = join(dir, 'data2');
    const noPeer = await runCli(['token', 'create', '--role', 'agent', '--data', data]);
    expect(noPeer.code).toBe(2);
    expect(noPeer.stderr).toContain('--peer');
    const badRole = await runCli(['token', 'create', '--role', 'root', '--data', data]);
    expect(badRole.code).toBe(2);
    // admin (protocol 1.2) is a role: HTTP only, it manages webhooks.
    const admin = await runCli(['token', 'create', '--role', 'admin', '--data', data]);
    expect(admin.code).toBe(0);
    const agent = await runCli(['token', 'create', '--role', 'agent', '--peer', 'SIP/andrea.bianco', '--data', data]);
    expect(agent.code).toBe(0);
    const peerOnIntegration = await runCli(['token', 'create', '--role', 'integration', '--peer', 'SIP/x', '--data', data]);
    expect(peerOnIntegration.code).toBe(2);
  });
});

describe('shuttle-cti simulate', () => {
  it('feeds a running hub over HTTP with a source token', async () => {
    const data = join(dir, 'data3');
    const hub = await startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], /Stop with Ctrl\+C/);
    const url = /hub listening on (http:\/\/\S+)/.exec(hub.output())?.[1] as string;
    const source = (await runCli(['token', 'create', '--role', 'source', '--data', data])).stdout.trim();
    const integration = (await runCli(['token', 'create', '--role', 'integration', '--data', data])).stdout.trim();
    const socket = io(url, { auth: { token: integration }, transports: ['websocket'], forceNew: true });
    const got = new Promise<Record<string, unknown>>((resolve) => {
      socket.on('ringing', resolve);
      socket.on('outbound', resolve);
    });
    const sim = await startCli(['simulate', '--url', url, '--token', source, '--rate', '3000'], /playing demo queue traffic/);
    const first = await got;
    expect(first['uniqueid']).toBeTruthy();
    // Each simulated event carries an id of its own, so a resent POST is not stored twice.
    expect(first['eventid']).toMatch(new RegExp(`^sim:${String(first['uniqueid']).replace('.', '\\.')}:(ringing|outbound):\\d+$`));
    socket.close();
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    const badToken = await runCli(['simulate', '--url', url]);
    expect(badToken.code).toBe(2);
    hub.child.kill('SIGTERM');
    await hub.exited;
  });
});

describe('shuttle-cti token: peers that look alike', () => {
  it('refuses a peer with white space at an end or control characters, and lists a non-ASCII peer escaped', async () => {
    const data = join(dir, 'data-peers');
    for (const peer of ['SIP/alice ', 'SIP/al\u200bice']) {
      const refused = await runCli(['token', 'create', '--role', 'agent', '--peer', peer, '--data', data]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--peer');
    }
    expect((await runCli(['token', 'create', '--role', 'agent', '--peer', 'SIP/alice', '--data', data])).code).toBe(0);
    expect((await runCli(['token', 'create', '--role', 'agent', '--peer', 'SIP/\u0430lice', '--data', data])).code).toBe(0);
    const table = (await runCli(['token', 'list', '--data', data])).stdout;
    expect(table).toContain('SIP/\\u{430}lice');
    expect(table).toContain('SIP/alice ');
    expect(table).not.toContain('\u0430');
  }, 90_000);
});
