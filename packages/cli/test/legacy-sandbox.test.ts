// The legacy sandbox in process: globals, customvariables lifetime, and a runaway handler.
import { describe, expect, it } from 'vitest';
import { createCustomVariables } from '../src/runner/legacy/custom-variables.js';
import { prepareLegacy } from '../src/runner/legacy/sandbox.js';
import { detectKind } from '../src/runner/kind.js';
import type { RunnerLog } from '../src/runner/log.js';
import { createOfflineClient, type SentCommand } from '../src/runner/offline-client.js';
import { createRunner } from '../src/runner/runner.js';
import { ScriptError } from '../src/runner/script-error.js';

function memoryLog(): RunnerLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m, e) => void lines.push(`error ${m}${e === undefined ? '' : `: ${String((e as Error).message ?? e)}`}`),
  };
}

async function start(source: string, options: { timeoutMs?: number; now?: () => number } = {}) {
  const log = memoryLog();
  const customVariables = createCustomVariables(options.now ? { now: options.now, maxIdleMs: 1000 } : {});
  const sent: SentCommand[] = [];
  const client = createOfflineClient((c) => void sent.push(c));
  const runner = createRunner({ client, log, timeoutMs: options.timeoutMs ?? 1000 });
  await runner.install(prepareLegacy('/scripts/test.js', source, { customVariables, log, timeoutMs: options.timeoutMs ?? 1000 }));
  let seq = 0;
  const dispatch = (event: Record<string, unknown>) => runner.dispatch(event['event'] as string, { seq: ++seq, variables: {}, ...event });
  return { log, customVariables, sent, runner, dispatch };
}

const call = (uniqueid: string, event: string, extra: Record<string, unknown> = {}) => ({
  event,
  uniqueid,
  queue: 'Sales',
  peer: 'SIP/andrea.bianco',
  callernum: '1003',
  ...extra,
});

describe('legacy globals', () => {
  it('gives handlers event, wakeup, notification, pushevent, customvariables and socket', async () => {
    const { sent, dispatch, log } = await start(`
      event.up = function (data) {
        var order = customvariables[data.uniqueid]['ordernumber'];
        wakeup('http://orders.example.test/sales?ordernumber=' + order, data.peer, 'new_frame');
        notification(data.peer, 'info', 'Order', order);
        var row = { uniqueid: data.uniqueid };
        pushevent('Orders', row, 'ref-' + order, 'http://orders.example.test/' + order);
        socket.emit('AgentCTI', { url: 'http://orders.example.test/raw', peer: data.peer, mode: 'new_tab' });
        console.log(typeof row.time);
      };
    `);
    await dispatch(call('1.1', 'up', { variables: { ordernumber: 'A-7' } }));
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(sent.map((s) => [s.command, s.payload])).toEqual([
      ['AgentCTI', { url: 'http://orders.example.test/sales?ordernumber=A-7', peer: 'SIP/andrea.bianco', mode: 'new_frame' }],
      ['AgentCTINotification', { peer: 'SIP/andrea.bianco', type: 'info', title: 'Order', body: 'A-7' }],
      ['RealtimeCTI', { type: 'Orders', channel: { uniqueid: '1.1', time: expect.any(String) as string }, reference: 'ref-A-7', url: 'http://orders.example.test/A-7' }],
      ['AgentCTI', { url: 'http://orders.example.test/raw', peer: 'SIP/andrea.bianco', mode: 'new_tab' }],
    ]);
    expect(sent[0]?.context).toMatchObject({ event: 'up', uniqueid: '1.1' });
  });

  it('logs a refused command with the call it was for, without throwing into the script', async () => {
    const { sent, dispatch, log } = await start(`
      event.up = function (data) {
        wakeup('javascript:alert(1)', data.peer, 'new_tab');
        notification(data.peer, 'info', 'still here', '');
      };
    `);
    await dispatch(call('2.1', 'up'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((s) => s.command)).toEqual(['AgentCTINotification']);
    expect(log.lines).toContainEqual(expect.stringMatching(/^error up uniqueid=2\.1 seq=1: wakeup failed: AgentCTI: url: must be an absolute http/));
  });

  it('warns about handlers for events the hub never sends', async () => {
    const { log } = await start('event.answered = function () {};');
    expect(log.lines).toContainEqual(expect.stringMatching(/event\.answered is not an event the hub sends/));
  });

  it('interrupts a handler stuck in a synchronous loop and keeps going', async () => {
    const { sent, dispatch, log } = await start(
      `
      event.ringing = function () { for (;;) {} };
      event.up = function (data) { notification(data.peer, 'info', 'after the loop', ''); };
    `,
      { timeoutMs: 200 },
    );
    expect(await dispatch(call('3.1', 'ringing'))).toEqual(['failed']);
    await dispatch(call('3.1', 'up'));
    expect(log.lines).toContainEqual(expect.stringMatching(/^error ringing uniqueid=3\.1 seq=1: handler failed: handler did not return within 200 ms/));
    expect(sent.map((s) => s.payload)).toEqual([{ peer: 'SIP/andrea.bianco', type: 'info', title: 'after the loop', body: '' }]);
  });

  it('refuses a script that does not parse, with line and column', () => {
    const prepare = () =>
      prepareLegacy('/scripts/bad.js', 'event.up = function (data) {\n  if if (x) {}\n};\n', {
        customVariables: createCustomVariables(),
        log: memoryLog(),
        timeoutMs: 1000,
      });
    expect(prepare).toThrow(ScriptError);
    expect(prepare).toThrow(/bad\.js:2:6: SyntaxError: Unexpected token 'if'/);
  });
});

describe('customvariables', () => {
  it('keeps a call’s variables for its life and releases them at hangup or abandon: memory stays flat', async () => {
    const { customVariables, dispatch } = await start(`
      var seen = 0;
      event.up = function (data) { if (customvariables[data.uniqueid].ordernumber) seen++; };
      event.hangup = function (data) { if (!customvariables[data.uniqueid]) throw new Error('released too early'); };
    `);
    for (let i = 0; i < 2000; i++) {
      const id = `call.${i}`;
      await dispatch(call(id, 'ringing', { variables: { ordernumber: `ORD-${i}` } }));
      // The hub attaches the call's variables to every later event too.
      await dispatch(call(id, 'up', { variables: { ordernumber: `ORD-${i}` } }));
      expect(customVariables.object[id]).toEqual({ ordernumber: `ORD-${i}` });
      await dispatch(call(id, i % 2 === 0 ? 'hangup' : 'abandon', { variables: { ordernumber: `ORD-${i}` } }));
    }
    expect(customVariables.size()).toBe(0);
    expect(Object.keys(customVariables.object)).toEqual([]);
  });

  it('forgets calls whose end never came, after they stay idle', () => {
    let now = 0;
    const store = createCustomVariables({ now: () => now, maxIdleMs: 60 * 60_000 });
    store.track({ uniqueid: 'lost.1', variables: { a: '1' } });
    now = 30 * 60_000;
    store.track({ uniqueid: 'live.1', variables: {} });
    now = 90 * 60_000;
    store.track({ uniqueid: 'live.1', variables: {} });
    expect(Object.keys(store.object)).toEqual(['live.1']);
  });
});

describe('kind detection', () => {
  it.each([
    ['x.yaml', '', false, 'rules'],
    ['x.js', 'event.up = function (data) {};', false, 'legacy'],
    ['x.js', "event['hangup'] = function (data) {};", false, 'legacy'],
    ['x.js', 'export default function (cti) { cti.on("up", (event) => { event.x = 1; }); }', false, 'module'],
    ['x.js', 'module.exports = { up() {} };', false, 'module'],
    ['x.ts', 'event.up = function () {};', false, 'module'],
    ['x.js', 'export default {};', true, 'legacy'],
  ] as const)('%s %s (forced legacy: %s) is %s', (file, source, legacy, kind) => {
    expect(detectKind(file, source, legacy)).toBe(kind);
  });
});
