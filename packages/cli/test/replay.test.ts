// `shuttle-cti replay`, run as users run it (the built CLI in a child process), with no hub.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyDir, runCli, seedDir } from './cli-process.js';

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const salesCrm = join(legacyDir, 'sales-crm.js');
const broken = join(legacyDir, 'broken-syntax.js');

interface Line {
  command: string;
  payload: Record<string, unknown>;
  event: string;
  uniqueid: string;
  seq: number;
}
const parse = (stdout: string[]): Line[] => stdout.filter(Boolean).map((l) => JSON.parse(l) as Line);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-replay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('legacy sales-crm.js, unmodified, against the seed samples', () => {
  it('sends exactly the commands the script asks for, one per line', async () => {
    const run = await runCli(['replay', seedDir, salesCrm, '--json']);
    expect(run.code, run.output).toBe(0);
    const lines = parse(run.stdout);
    // Files are read in name order: abandon, hangup, outbound, ringing, up.
    expect(lines.map((l) => [l.event, l.command])).toEqual([
      ['abandon', 'RealtimeCTI'],
      ['hangup', 'AgentCTINotification'],
      ['outbound', 'AgentCTI'],
      ['ringing', 'AgentCTINotification'],
      ['up', 'AgentCTI'],
      ['up', 'RealtimeCTI'],
    ]);
    const [abandon, hangup, outbound, ringing, up, upPush] = lines.map((l) => l.payload);
    expect(abandon).toMatchObject({
      type: 'SalesCRM',
      reference: 'missed-1599601824.96',
      url: 'http://crm.example.test/callbacks/new?phone=1003',
      channel: { event: 'abandon', uniqueid: '1599601824.96', callernum: '1003', holdtime: '4', unmanaged: true },
    });
    expect(typeof (abandon?.['channel'] as Record<string, unknown>)['time']).toBe('string');
    expect(hangup).toEqual({ peer: 'SIP/andrea.bianco', type: 'success', title: 'Call ended', body: 'Talk time 2 s' });
    expect(outbound).toEqual({ url: 'http://crm.example.test/search?phone=123456789', peer: 'SIP/andrea.bianco', mode: 'new_window' });
    expect(ringing).toEqual({ peer: 'SIP/johnandrea.doebianco', type: 'info', title: 'Incoming call', body: 'Caller 9981003 on CC-SIPPSupport' });
    expect(up).toEqual({ url: 'http://crm.example.test/search?phone=9981003', peer: 'SIP/johnandrea.doebianco', mode: 'new_tab' });
    expect(upPush).toMatchObject({
      type: 'SalesCRM',
      reference: 'ticket-14370692641599601698.91494',
      url: 'http://crm.example.test/tickets/14370692641599601698.91494',
      channel: { event: 'up', queue: 'CC-SIPPSupport', peer: 'SIP/johnandrea.doebianco' },
    });
  });

  it('prints plain lines without --json', async () => {
    const run = await runCli(['replay', seedDir, salesCrm]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.filter(Boolean)).toHaveLength(6);
    expect(run.stdout[2]).toBe('AgentCTI {"url":"http://crm.example.test/search?phone=123456789","peer":"SIP/andrea.bianco","mode":"new_window"}');
  });

  it('gives the script the call’s custom variables (Sales: the order number), accumulated like the hub does', async () => {
    const run = await runCli(['replay', fixture('sales-call.jsonl'), salesCrm, '--json']);
    expect(run.code, run.output).toBe(0);
    const pops = parse(run.stdout).filter((l) => l.command === 'AgentCTI');
    expect(pops.map((p) => p.payload)).toEqual([
      { url: 'http://crm.example.test/sales?ordernumber=ORD-1001', peer: 'SIP/andrea.bianco', mode: 'new_frame' },
      // Another call, without variables: the previous call's were released at its hangup.
      { url: 'http://crm.example.test/sales?ordernumber=undefined', peer: 'SIP/sara.rosa', mode: 'new_frame' },
    ]);
  });
});

describe('broken scripts', () => {
  it('refuses broken-syntax.js with file, line and column, exit code 3', async () => {
    const run = await runCli(['replay', seedDir, broken]);
    expect(run.code).toBe(3);
    expect(run.stderr.join('\n')).toMatch(/broken-syntax\.js:6:6: SyntaxError: Unexpected token 'if'/);
    expect(run.stdout.filter(Boolean)).toEqual([]);
  });

  it('refuses a TypeScript file that does not compile, with its location', async () => {
    const file = join(dir, 'bad.ts');
    await writeFile(file, "export default function (cti: unknown) {\n  const x: number = ;\n}\n");
    const run = await runCli(['replay', seedDir, file]);
    expect(run.code).toBe(3);
    expect(run.stderr.join('\n')).toMatch(/bad\.ts:2:21: /);
  });

  it('refuses a module that exports no integration', async () => {
    const file = join(dir, 'nothing.mjs');
    await writeFile(file, 'export const x = 1;\n');
    const run = await runCli(['replay', seedDir, file]);
    expect(run.code).toBe(3);
    expect(run.stderr.join('\n')).toMatch(/must export default a function/);
  });

  it('refuses a legacy script that fails while loading, with the line', async () => {
    const file = join(dir, 'throws-on-load.js');
    await writeFile(file, "// legacy\nvar crm = require('crm');\nevent.up = function (data) {};\n");
    const run = await runCli(['replay', seedDir, file]);
    expect(run.code).toBe(3);
    expect(run.stderr.join('\n')).toMatch(/throws-on-load\.js:2:\d+: the script failed while loading: ReferenceError: require is not defined/);
  });
});

describe('TypeScript and JavaScript modules', () => {
  it('runs the handlers form in TypeScript with no build step', async () => {
    const run = await runCli(['replay', fixture('sales-call.jsonl'), fixture('order-popup.ts')]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.filter(Boolean)).toEqual([
      'AgentCTI {"url":"https://crm.example.test/orders/ORD-1001","peer":"SIP/andrea.bianco","mode":"new_frame"}',
      'AgentCTI {"url":"https://crm.example.test/search?phone=1005","peer":"SIP/sara.rosa","mode":"new_frame"}',
    ]);
  });

  it('isolates a throwing, a rejecting and a hanging handler: the others still run, each failure is logged with its uniqueid, exit 1', async () => {
    const run = await runCli(['replay', seedDir, fixture('failing-handlers.js'), '--handler-timeout', '300']);
    expect(run.code, run.output).toBe(1);
    expect(run.stdout.filter(Boolean)).toEqual([
      'AgentCTINotification {"peer":"SIP/andrea.bianco","type":"success","title":"Call ended","body":"Talk time 2 s"}',
      'AgentCTI {"url":"https://crm.example.test/search?phone=123456789","peer":"SIP/andrea.bianco","mode":"new_window"}',
      'AgentCTI {"url":"https://crm.example.test/search?phone=9981003","peer":"SIP/johnandrea.doebianco","mode":"new_tab"}',
    ]);
    const log = run.stderr.join('\n');
    expect(log).toContain('abandon uniqueid=1599601824.96 seq=1: handler failed: Error: rejected in abandon');
    expect(log).toContain('hangup uniqueid=1599601698.94 seq=2: handler did not finish within 300 ms');
    expect(log).toContain('up uniqueid=14370692641599601698.91494 seq=5: handler failed: Error: boom in up');
    expect(log).toMatch(/failing-handlers\.js:5:\d+/);
    expect(log).toMatch(/ringing uniqueid=14370692641599601698\.91494 seq=4: a promise failed and nothing handled it: INVALID_PAYLOAD: AgentCTINotification: type: /);
  });

  it('reports a command the hub would refuse, naming the field, and exits 1', async () => {
    const file = join(dir, 'bad-url.mjs');
    await writeFile(file, "export default { up: (call, cti) => cti.wakeup('javascript:alert(1)', call.peer, 'new_tab') };\n");
    const run = await runCli(['replay', seedDir, file]);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/up uniqueid=\S+ seq=5: handler failed: INVALID_PAYLOAD: AgentCTI: url: must be an absolute http: or https: URL/);
  });
});

describe('events input', () => {
  it('refuses an invalid event with its file, line and field (exit 2)', async () => {
    const file = join(dir, 'bad-events.jsonl');
    await writeFile(file, `${JSON.stringify({ event: 'up', queue: 'Sales', uniqueid: '1.1' })}\n`);
    const run = await runCli(['replay', file, salesCrm]);
    expect(run.code).toBe(2);
    expect(run.stderr.join('\n')).toMatch(/bad-events\.jsonl:1: event: agentname: is required/);
    expect(run.stdout.filter(Boolean)).toEqual([]);

    const json = join(dir, 'bad-json.jsonl');
    await writeFile(json, `${JSON.stringify({ event: 'abandon', queue: 'Support', direction: 'unmanaged', uniqueid: '1.2', callernum: '1', holdtime: '1' })}\n{"event":"ringing"\n`);
    const broken = await runCli(['replay', json, salesCrm]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.join('\n')).toMatch(/bad-json\.jsonl:2: not valid JSON/);
  });

  it('refuses a missing events path (exit 2)', async () => {
    const run = await runCli(['replay', join(dir, 'missing.jsonl'), salesCrm]);
    expect(run.code).toBe(2);
  });
});

describe('call control in replay (protocol 1.2)', () => {
  it('prints dial, hangup, transfer and pause from a legacy script like the other commands', async () => {
    const file = join(dir, 'call-control.js');
    await writeFile(
      file,
      [
        "event.abandon = function (data) { dial('SIP/andrea.bianco', data.callernum); };",
        "event.up = function (data) { pause(data.peer, true, 'Wrap-up'); transfer(data.uniqueid, '7000', 'blind'); };",
        'event.hangup = function (data) { hangup(data.uniqueid); };',
        "event.ringing = function (data) { dial(data.peer, '12\\r\\nAction: Logoff'); };",
        '',
      ].join('\n'),
    );
    const run = await runCli(['replay', seedDir, file, '--json']);
    const lines = parse(run.stdout);
    expect(lines.map((l) => [l.event, l.command])).toEqual([
      ['abandon', 'CallDial'],
      ['hangup', 'CallHangup'],
      ['up', 'AgentPause'],
      ['up', 'CallTransfer'],
    ]);
    expect(lines[0]?.payload).toEqual({ peer: 'SIP/andrea.bianco', number: '1003' });
    expect(lines[2]?.payload).toEqual({ peer: 'SIP/johnandrea.doebianco', paused: true, reason: 'Wrap-up' });
    expect(lines[3]?.payload).toMatchObject({ to: '7000', mode: 'blind' });
    // The hostile number was refused before anything was printed.
    expect(run.output).toMatch(/number/);
  });
});
