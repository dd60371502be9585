import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-token-scope-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ringing = (queue: string, n: number) => ({
  event: 'ringing', queue, peer: 'SIP/x', agentname: 'X', agentnum: '1', direction: 'inbound', uniqueid: `cli-scope-${queue}-${n}`,
  context: 'from-sip', extension: '6000', trunk: 'SIP/t', callernum: '1003', callername: 'c', channel: 'SIP/t-1', ringing: true,
});

describe('shuttle-cti token scopes', () => {
  it('creates a scoped token, lists its scope, and changes it while the hub runs; sessions follow', async () => {
    const data = join(dir, 'data');
    const hub = await startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data], /Stop with Ctrl\+C/);
    const url = /hub listening on (http:\/\/\S+)/.exec(hub.output())?.[1] as string;
    const created = await runCli(['token', 'create', '--role', 'integration', '--name', 'sales-crm', '--queues', 'Sales,Support', '--peers', 'SIP/a', '--data', data]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    const source = (await runCli(['token', 'create', '--role', 'source', '--data', data])).stdout.trim();
    const table = (await runCli(['token', 'list', '--data', data])).stdout;
    expect(table).toMatch(/ID\s+ROLE\s+PEER\s+NAME\s+CREATED\s+STATE\s+SCOPE/);
    expect(table).toContain('queues Sales, Support · peers SIP/a');
    const list = JSON.parse((await runCli(['token', 'list', '--json', '--data', data])).stdout) as { id: string; name: string; scope: unknown }[];
    const mine = list.find((t) => t.name === 'sales-crm');
    expect(mine?.scope).toEqual({ queues: ['Sales', 'Support'], peers: ['SIP/a'] });

    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const welcome = await new Promise<{ scope?: unknown }>((resolve, reject) => {
      socket.on('welcome', resolve);
      socket.on('connect_error', reject);
    });
    expect(welcome.scope).toEqual({ queues: ['Sales', 'Support'], peers: ['SIP/a'] });
    const queues: string[] = [];
    socket.on('ringing', (e: { queue: string }) => queues.push(e.queue));

    const changed = await runCli(['token', 'scope', mine?.id ?? '', '--queues', 'Billing', '--data', data]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('queues Billing');
    // Within the re-check interval (2 s by default) a Billing call reaches it.
    const deadline = Date.now() + 15_000;
    for (let n = 0; !queues.includes('Billing'); n++) {
      if (Date.now() > deadline) throw new Error('the new scope was not applied');
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${source}` },
        body: JSON.stringify([ringing('Billing', n)]),
      });
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
    }
    const cleared = await runCli(['token', 'scope', mine?.id ?? '', '--clear', '--data', data]);
    expect(cleared.code).toBe(0);
    expect((await runCli(['token', 'list', '--data', data])).stdout).not.toContain('queues Billing');
    socket.close();
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  }, 60_000);

  it('checks the names and the flags, naming the one at fault', async () => {
    const data = join(dir, 'data2');
    const crlf = await runCli(['token', 'create', '--role', 'supervisor', '--queues', 'Sales\r\nAction: Originate', '--data', data]);
    expect(crlf.code).toBe(2);
    expect(crlf.stderr).toContain('--queues');
    const empty = await runCli(['token', 'create', '--role', 'supervisor', '--peers', 'SIP/a,,SIP/b', '--data', data]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--peers');
    const long = await runCli(['token', 'create', '--role', 'supervisor', '--queues', 'q'.repeat(300), '--data', data]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--queues');
    const agent = await runCli(['token', 'create', '--role', 'agent', '--peer', 'SIP/a', '--queues', 'Sales', '--data', data]);
    expect(agent.code).toBe(2);
    const supervisor = await runCli(['token', 'create', '--role', 'supervisor', '--queues', 'Sales', '--data', data]);
    expect(supervisor.code).toBe(0);
    const [row] = JSON.parse((await runCli(['token', 'list', '--json', '--data', data])).stdout) as { id: string }[];
    expect((await runCli(['token', 'scope', row?.id ?? '', '--data', data])).code).toBe(2);
    expect((await runCli(['token', 'scope', row?.id ?? '', '--clear', '--queues', 'X', '--data', data])).code).toBe(2);
    const unknown = await runCli(['token', 'scope', 'nope', '--queues', 'X', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no active token');
  }, 60_000);
});
