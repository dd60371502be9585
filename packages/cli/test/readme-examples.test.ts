// The examples of README.md and docs/integrations.md, taken from the documents themselves and run through
// `replay`: if the documentation and the runner drift apart, this fails.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

interface Block {
  lang: string;
  text: string;
}

let dir: string;
let blocks: Block[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-readme-'));
  const docs = await Promise.all(
    ['../../../README.md', '../../../docs/integrations.md'].map((path) => readFile(new URL(path, import.meta.url), 'utf8')),
  );
  const doc = docs.join('\n');
  blocks = [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const block = (lang: string, startsWith = ''): string => {
  const found = blocks.find((b) => b.lang === lang && b.text.startsWith(startsWith));
  if (!found) throw new Error(`no ${lang} block starting with ${JSON.stringify(startsWith)} in README.md or docs/integrations.md`);
  return found.text;
};

const call = (event: string, extra: Record<string, unknown>) => ({
  event,
  agentname: 'Andrea Bianco',
  agentnum: '1000',
  peer: 'SIP/andrea.bianco',
  direction: 'inbound',
  callername: 'ACME Srl',
  ...(event === 'up' ? { holdtime: '2', ringtime: '0' } : {}),
  ...extra,
});

describe('Write your first integration', () => {
  it('replays the tutorial’s events through its script and prints what the document shows', async () => {
    await writeFile(join(dir, 'my-integration.ts'), block('ts', "import type { CtiClient } from '@shuttle-cti/sdk';"));
    await writeFile(join(dir, 'events.jsonl'), block('json', '{"event":"ringing"'));
    const shown = block('', 'AgentCTI ').split('\n').filter(Boolean);
    const run = await runCli(['replay', 'events.jsonl', 'my-integration.ts'], { cwd: dir });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.filter(Boolean)).toHaveLength(shown.length);
    expect(run.stdout[0]).toBe(shown[0]);
    // The document abbreviates the call data of the second line.
    const [head, tail] = (shown[1] ?? '').split('...');
    expect(run.stdout[1]?.startsWith(head ?? '-')).toBe(true);
    expect(run.stdout[1]?.endsWith(tail ?? '-')).toBe(true);
  });
});

describe('rules examples', () => {
  it('helpdesk.yaml: a ticket search by the caller’s phone number', async () => {
    await writeFile(join(dir, 'helpdesk.yaml'), block('yaml', '# helpdesk.yaml'));
    const events = [
      call('up', { queue: 'Support', uniqueid: 'h.1', callernum: '+39 06 1234' }),
      call('up', { queue: 'Sales', uniqueid: 'h.2', callernum: '1003' }),
      { event: 'abandon', queue: 'Support', direction: 'unmanaged', uniqueid: 'h.3', callernum: '1004', holdtime: '9' },
    ];
    await writeFile(join(dir, 'helpdesk-events.json'), JSON.stringify(events));
    const run = await runCli(['replay', 'helpdesk-events.json', 'helpdesk.yaml', '--json'], { cwd: dir });
    expect(run.code, run.output).toBe(0);
    const lines = run.stdout.filter(Boolean).map((l) => JSON.parse(l) as { command: string; uniqueid: string; payload: Record<string, unknown> });
    expect(lines.map((l) => [l.command, l.uniqueid])).toEqual([
      ['AgentCTI', 'h.1'],
      ['RealtimeCTI', 'h.1'],
      ['RealtimeCTI', 'h.3'],
    ]);
    expect(lines[0]?.payload).toEqual({ url: 'https://helpdesk.example.com/tickets?phone=%2B39%2006%201234', peer: 'SIP/andrea.bianco', mode: 'new_tab' });
    expect(lines[1]?.payload).toMatchObject({ type: 'Helpdesk', reference: 'h.1' });
    expect(lines[2]?.payload).toMatchObject({ type: 'Helpdesk', reference: 'missed-h.3', url: 'https://helpdesk.example.com/callbacks/new?phone=1004' });
  });

  it('orders.yaml: a record by order number, else a search by phone', async () => {
    await writeFile(join(dir, 'orders.yaml'), block('yaml', '# orders.yaml'));
    const events = [
      call('up', { queue: 'Sales', uniqueid: 'o.1', callernum: '1003', variables: { ordernumber: 'ORD-1001' } }),
      call('up', { queue: 'Sales', uniqueid: 'o.2', callernum: '1005' }),
    ];
    await writeFile(join(dir, 'orders-events.json'), JSON.stringify(events));
    const run = await runCli(['replay', 'orders-events.json', 'orders.yaml'], { cwd: dir });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.filter(Boolean)).toEqual([
      'AgentCTI {"url":"https://erp.example.com/orders/ORD-1001","peer":"SIP/andrea.bianco","mode":"new_frame"}',
      'AgentCTINotification {"peer":"SIP/andrea.bianco","type":"info","title":"Order ORD-1001","body":"ACME Srl (1003) is on the line"}',
      'AgentCTI {"url":"https://erp.example.com/customers?phone=1005","peer":"SIP/andrea.bianco","mode":"new_tab"}',
    ]);
  });

  it('the error shown for a bad file is the one users get', async () => {
    const shown = block('', 'shuttle-cti: orders.yaml:').trim();
    const bad = block('yaml', '# orders.yaml').replace('      queue: Sales\n', '      queue: { startsWith: Sales }\n');
    await writeFile(join(dir, 'orders.yaml'), bad);
    const run = await runCli(['replay', 'orders-events.json', 'orders.yaml'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stderr.filter(Boolean)).toEqual([shown]);
  });
});
