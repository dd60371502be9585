// Rules files in process: what they match, what they send, and how a bad file is refused.
import { describe, expect, it } from 'vitest';
import type { RunnerLog } from '../src/runner/log.js';
import { createOfflineClient, type SentCommand } from '../src/runner/offline-client.js';
import { rulesIntegration } from '../src/runner/rules/engine.js';
import { loadRules } from '../src/runner/rules/load.js';
import { compileTemplate } from '../src/runner/rules/template.js';
import { createRunner } from '../src/runner/runner.js';
import { ScriptError } from '../src/runner/script-error.js';

const log: RunnerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function run(yaml: string, events: Record<string, unknown>[]): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  const client = createOfflineClient((c) => void sent.push(c));
  const runner = createRunner({ client, log, timeoutMs: 1000 });
  await runner.install(rulesIntegration('/rules/test.yaml', loadRules('/rules/test.yaml', yaml, 'test'), log));
  let seq = 0;
  for (const event of events) await runner.dispatch(event['event'] as string, { seq: ++seq, time: '2024-05-01T10:00:00.000Z', variables: {}, ...event });
  return sent;
}

const up = (extra: Record<string, unknown> = {}) => ({
  event: 'up',
  queue: 'Sales',
  peer: 'SIP/andrea.bianco',
  uniqueid: '1599601698.94',
  callernum: '+39 06 1234',
  callername: 'ACME Srl',
  ...extra,
});

describe('templates', () => {
  it('percent-encodes values inside URLs unless marked raw', () => {
    const event = { callernum: '+39 06 1234', variables: { crm: 'https://crm.example.test/a?b=c' } };
    expect(compileTemplate('https://crm.example.test/?phone={{callernum}}', { url: true }).render(event)).toBe('https://crm.example.test/?phone=%2B39%2006%201234');
    expect(compileTemplate('{{variables.crm | raw}}&x=1', { url: true }).render(event)).toBe('https://crm.example.test/a?b=c&x=1');
    expect(compileTemplate('Call from {{callernum}}', { url: false }).render(event)).toBe('Call from +39 06 1234');
    expect(compileTemplate('[{{missing}}]', { url: false }).render(event)).toBe('[]');
  });

  it('refuses a bad placeholder', () => {
    expect(() => compileTemplate('x {{call num}}', { url: false })).toThrow(/bad placeholder/);
    expect(() => compileTemplate('x {{callernum', { url: false })).toThrow(/without a closing/);
  });
});

describe('matching and actions', () => {
  const yaml = `
name: Helpdesk
rules:
  - name: orders
    on: up
    when:
      queue: Sales
      variables.ordernumber: { exists: true, regex: "^ORD-\\\\d+$" }
    do:
      - wakeup: { url: "https://erp.example.test/orders/{{variables.ordernumber}}", mode: new_frame }
      - notification: { title: "Order {{variables.ordernumber}}", body: "{{callername}}" }
    stop: true
  - name: search
    on: [up, outbound]
    when:
      queue: [Sales, Support]
      callernum: { prefix: "+39" }
    do:
      - wakeup: { url: "https://helpdesk.example.test/search?phone={{callernum}}" }
      - pushevent: { reference: "ticket-{{uniqueid}}" }
  - on: abandon
    when:
      callername: { regex: "/^acme/i" }
    do:
      - pushevent: { appname: Callbacks, url: "https://helpdesk.example.test/callbacks?phone={{callernum}}" }
`;

  it('runs the first matching rule and stops there when it says so', async () => {
    const sent = await run(yaml, [up({ variables: { ordernumber: 'ORD-42' } })]);
    expect(sent.map((s) => [s.command, s.payload])).toEqual([
      ['AgentCTI', { url: 'https://erp.example.test/orders/ORD-42', peer: 'SIP/andrea.bianco', mode: 'new_frame' }],
      ['AgentCTINotification', { peer: 'SIP/andrea.bianco', type: 'info', title: 'Order ORD-42', body: 'ACME Srl' }],
    ]);
  });

  it('falls through to the next rule when a condition fails', async () => {
    const sent = await run(yaml, [up({ variables: { ordernumber: 'bogus' } }), up({ queue: 'Billing' }), up({ callernum: '0039' })]);
    expect(sent.map((s) => [s.command, s.payload])).toEqual([
      ['AgentCTI', { url: 'https://helpdesk.example.test/search?phone=%2B39%2006%201234', peer: 'SIP/andrea.bianco', mode: 'new_tab' }],
      ['RealtimeCTI', { type: 'Helpdesk', channel: expect.objectContaining({ event: 'up', uniqueid: '1599601698.94' }) as object, reference: 'ticket-1599601698.94' }],
    ]);
  });

  it('matches a regex with flags, and uses the action’s appname', async () => {
    const sent = await run(yaml, [
      { event: 'abandon', queue: 'Support', uniqueid: '9.9', callernum: '1003', callername: 'Acme Corp' },
      { event: 'abandon', queue: 'Support', uniqueid: '9.8', callernum: '1004', callername: 'Other' },
    ]);
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'Callbacks', channel: expect.objectContaining({ uniqueid: '9.9' }) as object, reference: '9.9', url: 'https://helpdesk.example.test/callbacks?phone=1003' },
    ]);
  });
});

describe('bad rules files are refused with the line and what is wrong', () => {
  const refused = (yaml: string): ScriptError => {
    try {
      loadRules('/rules/bad.yaml', yaml, 'bad');
    } catch (error) {
      expect(error).toBeInstanceOf(ScriptError);
      return error as ScriptError;
    }
    throw new Error('the file was accepted');
  };

  it.each([
    ['not YAML', 'rules:\n  - on: up\n    do: [\n', 4, /not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/],
    ['no rules', 'name: x\n', 1, /"rules" needs a list/],
    ['unknown top-level key', 'rule:\n  - on: up\n', 1, /unknown key "rule" in the rules file/],
    ['unknown event', 'rules:\n  - on: answered\n    do:\n      - wakeup: { url: "https://x.test" }\n', 2, /rules\[0\]\.on: unknown event "answered"/],
    ['unknown operator', 'rules:\n  - on: up\n    when:\n      queue: { startsWith: Sales }\n    do:\n      - wakeup: { url: "https://x.test" }\n', 4, /rules\[0\]\.when\.queue\.startsWith: unknown operator "startsWith"/],
    ['bad regex', 'rules:\n  - on: up\n    when:\n      queue: { regex: "(" }\n    do:\n      - wakeup: { url: "https://x.test" }\n', 4, /invalid regular expression/],
    ['unknown action', 'rules:\n  - on: up\n    do:\n      - popup: { url: "https://x.test" }\n', 4, /unknown action "popup"/],
    ['relative url', 'rules:\n  - on: up\n    do:\n      - wakeup: { url: "/crm?phone={{callernum}}" }\n', 4, /"url" must start with http:\/\/ or https:\/\//],
    ['bad mode', 'rules:\n  - on: up\n    do:\n      - wakeup: { url: "https://x.test", mode: popup }\n', 4, /mode must be one of new_tab, new_window, new_frame/],
    ['bad placeholder', 'rules:\n  - on: up\n    do:\n      - notification: { title: "{{caller num}}" }\n', 4, /bad placeholder/],
    ['missing do', 'rules:\n  - on: up\n', 2, /"do" needs a list/],
    ['missing title', 'rules:\n  - on: up\n    do:\n      - notification: { body: x }\n', 4, /"title" is required/],
    ['duplicate key', 'rules:\n  - on: up\n    on: hangup\n    do:\n      - wakeup: { url: "https://x.test" }\n', 3, /not valid YAML: Map keys must be unique$/],
  ] as const)('%s', (_name, yaml, line, message) => {
    const error = refused(yaml);
    expect(error.line).toBe(line);
    expect(typeof error.column).toBe('number');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`bad\\.yaml:${line}:\\d+: `));
  });
});

describe('call-control actions (protocol 1.2)', () => {
  it('pause, transfer, hangup and dial, with the call\'s fields as defaults', async () => {
    const sent = await run(
      [
        'rules:',
        '  - on: up',
        '    when: { queue: Sales }',
        '    do:',
        '      - pause: { reason: Wrap-up }',
        '      - transfer: { to: "7000" }',
        '  - on: hangup',
        '    do:',
        '      - hangup: {}',
        '      - dial: { number: "{{callernum}}" }',
        '',
      ].join('\n'),
      [up(), { ...up(), event: 'hangup', callernum: '1003' }],
    );
    expect(sent.map((s) => [s.command, s.payload])).toEqual([
      ['AgentPause', { peer: 'SIP/andrea.bianco', paused: true, reason: 'Wrap-up' }],
      ['CallTransfer', { uniqueid: '1599601698.94', to: '7000', mode: 'blind' }],
      ['CallHangup', { uniqueid: '1599601698.94' }],
      ['CallDial', { peer: 'SIP/andrea.bianco', number: '1003' }],
    ]);
  });

  it('refuses a bad mode with its line', () => {
    expect(() => loadRules('/r.yaml', 'rules:\n  - on: up\n    do:\n      - transfer: { to: "7000", mode: warm }\n', 'r')).toThrow(/mode must be one of blind, attended/);
  });
});
