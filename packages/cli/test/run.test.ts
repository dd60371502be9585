// `shuttle-cti run` as users run it (the built CLI, a child process) against a real hub on port 0.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, seedEvents, startTestHub, until, type TestHub } from '../../server/test/helpers.js';
import { legacyDir, spawnCli, type CliProcess } from './cli-process.js';

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

let t: TestHub;
let seed: Awaited<ReturnType<typeof seedEvents>>;
let dir: string;
const running: CliProcess[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestHub();
  seed = await seedEvents();
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-run-'));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
});
afterAll(async () => {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): CliProcess {
  const p = spawnCli(['run', ...args], { env });
  running.push(p);
  return p;
}

/** Starts `run` and waits until it is connected and listening for events. */
async function connected(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const p = start([...args, '--url', t.url], { SHUTTLE_CTI_TOKEN: t.tokens.integration, ...env });
  await p.waitFor('stderr', /connected to /);
  return p;
}

let agents = 0;
/** An agent panel session, acknowledging what it gets as the real panel does; each test has its own peer by default. */
async function agent(peer = `SIP/run.agent${++agents}`) {
  const socket = await connectClient(t.url, '/agent', { token: await t.agentToken(peer) });
  sockets.push(socket);
  for (const kind of ['AgentCTI', 'AgentCTINotification']) socket.on(kind, (c: { id: string }) => socket.emit('ack', { id: c.id }));
  return {
    peer,
    pops: collect<Record<string, unknown>>(socket, ['AgentCTI']),
    notes: collect<Record<string, unknown>>(socket, ['AgentCTINotification']),
  };
}

let calls = 0;
const newCall = (sample: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...sample, uniqueid: `run-${++calls}.1`, ...extra });

describe('legacy scripts', () => {
  it('runs sales-crm.js unmodified and sends exactly the commands it asks for, for the seed samples', async () => {
    const andrea = await agent('SIP/andrea.bianco');
    const john = await agent('SIP/johnandrea.doebianco');
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    sockets.push(supervisor);
    const rows = collect<Record<string, unknown>>(supervisor, ['RealtimeCTI']);
    const p = await connected([join(legacyDir, 'sales-crm.js')]);
    expect(p.stderr.join('\n')).toMatch(/legacy integration .*sales-crm\.js checked/);

    await t.ingest([seed.ringing, seed.up, seed.hangup, seed.abandon, seed.outbound]);
    await until(() => john.notes.length === 1 && john.pops.length === 1 && andrea.notes.length === 1 && andrea.pops.length === 1 && rows.length === 2, 10_000, 'the commands');
    // A last event whose command arrives after any stray one would have.
    await t.ingest([newCall(seed.outbound, { callernum: 'marker' })]);
    await until(() => andrea.pops.length === 2, 10_000, 'the marker');

    expect(john.notes).toEqual([expect.objectContaining({ peer: 'SIP/johnandrea.doebianco', type: 'info', title: 'Incoming call', body: 'Caller 9981003 on CC-SIPPSupport' })]);
    expect(john.pops).toEqual([expect.objectContaining({ url: 'http://crm.example.test/search?phone=9981003', mode: 'new_tab' })]);
    expect(andrea.notes).toEqual([expect.objectContaining({ type: 'success', title: 'Call ended', body: 'Talk time 2 s' })]);
    expect(andrea.pops.map((c) => [c['url'], c['mode']])).toEqual([
      ['http://crm.example.test/search?phone=123456789', 'new_window'],
      ['http://crm.example.test/search?phone=marker', 'new_window'],
    ]);
    expect(rows.map((r) => [r['type'], r['reference'], r['url']])).toEqual([
      ['SalesCRM', 'ticket-14370692641599601698.91494', 'http://crm.example.test/tickets/14370692641599601698.91494'],
      ['SalesCRM', 'missed-1599601824.96', 'http://crm.example.test/callbacks/new?phone=1003'],
    ]);
  });

  it('gives a legacy script a socket whose emit reaches the hub, with its ack', async () => {
    const panel = await agent();
    const file = join(dir, 'socket-legacy.js');
    await writeFile(
      file,
      "event.up = function (data) {\n" +
        "  socket.emit('AgentCTINotification', { peer: data.peer, type: 'warning', title: 'VIP', body: data.callernum }, function (ack) {\n" +
        "    console.log('ack ' + ack.ok + ' ' + ack.delivered);\n" +
        '  });\n' +
        '};\n',
    );
    const p = await connected([file]);
    await t.ingest([newCall(seed.up, { peer: panel.peer })]);
    await until(() => panel.notes.length === 1, 10_000, 'the notification');
    expect(panel.notes[0]).toMatchObject({ peer: panel.peer, type: 'warning', title: 'VIP', body: seed.up['callernum'] });
    await p.waitFor('stdout', /^ack true 1$/);
  });

  it('refuses broken-syntax.js with file, line and column, exit 3, before connecting', async () => {
    const tcp = createServer((socket) => socket.destroy());
    let connections = 0;
    tcp.on('connection', () => (connections += 1));
    tcp.listen(0, '127.0.0.1');
    await once(tcp, 'listening');
    const { port } = tcp.address() as { port: number };
    const p = start([join(legacyDir, 'broken-syntax.js'), '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect(await p.exited).toBe(3);
    expect(p.stderr.join('\n')).toMatch(/broken-syntax\.js:6:6: SyntaxError: Unexpected token 'if'/);
    expect(connections).toBe(0);
    tcp.close();
  });
});

describe('modules and rules', () => {
  it('runs a TypeScript integration with no build step, token from SHUTTLE_CTI_TOKEN', async () => {
    const panel = await agent();
    await connected([fixture('order-popup.ts')]);
    await t.ingest([newCall(seed.up, { queue: 'Sales', peer: panel.peer, variables: { ordernumber: 'ORD-1001' } })]);
    await until(() => panel.pops.length === 1, 10_000, 'the pop');
    expect(panel.pops[0]).toMatchObject({ url: 'https://crm.example.test/orders/ORD-1001', peer: panel.peer, mode: 'new_frame' });
  });

  it('runs a rules file: values URL-encoded inside the URL', async () => {
    const rules = join(dir, 'helpdesk.yaml');
    await writeFile(
      rules,
      'rules:\n  - on: up\n    when:\n      queue: Support\n    do:\n      - wakeup: { url: "https://helpdesk.example.test/search?phone={{callernum}}" }\n      - notification: { title: "Call from {{callernum}}" }\n',
    );
    const panel = await agent();
    await connected([rules]);
    await t.ingest([newCall(seed.up, { queue: 'Sales', peer: panel.peer }), newCall(seed.up, { queue: 'Support', peer: panel.peer, callernum: '+39 06 1234' })]);
    await until(() => panel.pops.length === 1 && panel.notes.length === 1, 10_000, 'the rule’s commands');
    expect(panel.pops[0]).toMatchObject({ url: 'https://helpdesk.example.test/search?phone=%2B39%2006%201234', mode: 'new_tab' });
    expect(panel.notes[0]).toMatchObject({ title: 'Call from +39 06 1234', type: 'info' });
  });
});

describe('isolation', () => {
  it('logs a throwing and a hanging handler with the uniqueid and keeps handling events', async () => {
    const panel = await agent();
    const p = await connected([fixture('failing-handlers.js'), '--handler-timeout', '300']);
    const hangup = newCall(seed.hangup, { peer: panel.peer });
    const up = newCall(seed.up, { peer: panel.peer });
    await t.ingest([hangup, up]);
    await p.waitFor('stderr', new RegExp(`hangup uniqueid=${String(hangup.uniqueid).replace('.', '\\.')} seq=\\d+: handler did not finish within 300 ms`));
    await p.waitFor('stderr', new RegExp(`up uniqueid=${String(up.uniqueid).replace('.', '\\.')} seq=\\d+: handler failed: Error: boom in up`));
    // Later events are still handled.
    await t.ingest([newCall(seed.outbound, { peer: panel.peer })]);
    await until(() => panel.pops.length === 2 && panel.notes.length === 1, 10_000, 'the healthy handlers’ commands');
    expect(panel.pops.map((c) => c['mode'])).toEqual(['new_tab', 'new_window']);
    expect(p.child.exitCode).toBeNull();
  });
});

describe('resume', () => {
  const handled = (p: CliProcess): number[] =>
    p.stdout.filter((l) => l.startsWith('handled ')).map((l) => Number(l.split(' ')[2]));

  it('across a hub restart: no event handled twice, none skipped', async () => {
    const p = await connected([fixture('seq-logger.js')]);
    const before = await t.ingest([newCall(seed.ringing), newCall(seed.up), newCall(seed.hangup)]);
    await until(() => handled(p).length === 3, 10_000, 'three events');
    await t.restart();
    const during = await t.ingest([newCall(seed.abandon), newCall(seed.outbound)]);
    await p.waitFor('stderr', /connected to .*, resuming after seq \d+/, 15_000);
    const after = await t.ingest([newCall(seed.up)]);
    await until(() => handled(p).length === 6, 10_000, 'six events');
    expect(handled(p)).toEqual([...before, ...during, ...after].map((r) => (r as { seq: number }).seq));
  });

  it('across a restart of the runner itself, with --state-file', async () => {
    const state = join(dir, 'state', 'seq.json');
    const first = await connected([fixture('seq-logger.js'), '--state-file', state]);
    const seen = await t.ingest([newCall(seed.up), newCall(seed.up)]);
    await until(() => handled(first).length === 2, 10_000, 'two events');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const missed = await t.ingest([newCall(seed.abandon), newCall(seed.up)]);
    const second = await connected([fixture('seq-logger.js'), '--state-file', state]);
    await until(() => handled(second).length === 2, 10_000, 'the two missed events');
    expect(handled(first)).toEqual(seen.map((r) => (r as { seq: number }).seq));
    expect(handled(second)).toEqual(missed.map((r) => (r as { seq: number }).seq));
  });
});

describe('--watch', () => {
  it('reloads an edited script without dropping the connection', async () => {
    const file = join(dir, 'watched.mjs');
    const version = (v: string) =>
      `export default (cti) => { cti.on('up', (call) => cti.wakeup('https://crm.example.test/${v}', call.peer, 'new_tab')); };\n`;
    await writeFile(file, version('v1'));
    const panel = await agent();
    const p = await connected([file, '--watch']);
    await t.ingest([newCall(seed.up, { peer: panel.peer })]);
    await until(() => panel.pops.length === 1, 10_000, 'the v1 pop');
    await writeFile(file, version('v2'));
    await p.waitFor('stderr', /reloaded /);
    await t.ingest([newCall(seed.up, { peer: panel.peer })]);
    await until(() => panel.pops.length === 2, 10_000, 'the v2 pop');
    expect(panel.pops.map((c) => c['url'])).toEqual(['https://crm.example.test/v1', 'https://crm.example.test/v2']);
    expect(p.stderr.filter((l) => /connected to /.test(l))).toHaveLength(1);
    expect(p.stderr.join('\n')).not.toMatch(/disconnected/);
  });

  it('keeps the running version when the edit does not parse', async () => {
    const file = join(dir, 'watched-legacy.js');
    await writeFile(file, "event.up = function (data) { wakeup('https://crm.example.test/good', data.peer, 'new_tab'); };\n");
    const panel = await agent();
    const p = await connected([file, '--watch']);
    await writeFile(file, 'event.up = function (data) { if if };\n');
    await p.waitFor('stderr', /reload failed; the previous version keeps running: .*watched-legacy\.js:1:33: SyntaxError/);
    await t.ingest([newCall(seed.up, { peer: panel.peer })]);
    await until(() => panel.pops.length === 1, 10_000, 'the pop');
    expect(panel.pops[0]).toMatchObject({ url: 'https://crm.example.test/good' });
  });
});

describe('exit codes', () => {
  it('exits 4 when the hub refuses the token, saying so', async () => {
    const p = start([fixture('seq-logger.js'), '--url', t.url, '--token', 'sct_wrong']);
    expect(await p.exited).toBe(4);
    expect(p.stderr.join('\n')).toMatch(/the hub refused the token: invalid or revoked token/);
    expect(p.stderr.join('\n')).not.toContain('sct_wrong');
  });

  it('exits 0 on SIGTERM', async () => {
    const p = await connected([fixture('seq-logger.js')]);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('exits 2 on bad usage', async () => {
    expect(await start([fixture('seq-logger.js'), '--url', 'ftp://x']).exited).toBe(2);
    expect(await start([fixture('seq-logger.js'), '--handler-timeout', 'soon']).exited).toBe(2);
    expect(await start([join(dir, 'missing.js')]).exited).toBe(2);
  });
});
