import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@shuttle-cti/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byTime, outboundEvent, queueCallEvents } from '../../store/test/call-events.js';
import { runCli } from './cli-helpers.js';

let dir: string;
let data: string;
const t0 = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-report-'));
  data = join(dir, 'data');
  const store = createSqliteStore({ file: join(data, 'shuttle-cti.sqlite'), backgroundCheckpoints: false });
  await store.migrate();
  await store.appendEvents(
    byTime([
      // Answered in 12 s, 90 s of talk; abandoned after 30 s an hour later; an outbound call.
      ...queueCallEvents({ uniqueid: 'c1', queue: 'Support', enteredMs: t0, rings: [{ peer: 'SIP/anna', at: 1 }], answer: { peer: 'SIP/anna', hold: 12, talk: 90 } }),
      ...queueCallEvents({ uniqueid: 'c2', queue: 'Support', enteredMs: t0 + 3_600_000, rings: [{ peer: 'SIP/anna', at: 1, noAnswer: 'timeout' }], abandon: { hold: 30 } }),
      outboundEvent('o1', 'SIP/anna', t0 + 60_000),
    ]),
  );
  await store.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shuttle-cti report', () => {
  const range = ['--from', '2026-03-02T09:00:00Z', '--to', '2026-03-02T11:00:00Z', '--tz', 'UTC', '--data'];

  it('prints the queues report as CSV, per hour', async () => {
    const r = await runCli(['report', 'queues', ...range, data, '--interval', 'hour', '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')).toEqual([
      'queue,from,to,offered,answered,abandoned,answeredWithinSla,serviceLevel,asa,aht,maxWait,abandonRate',
      'Support,2026-03-02T09:00:00.000Z,2026-03-02T10:00:00.000Z,1,1,0,1,100,12,90,12,0',
      'Support,2026-03-02T10:00:00.000Z,2026-03-02T11:00:00.000Z,1,0,1,0,0,,,30,100',
      '',
    ]);
  });

  it('prints the agents report as a table and as JSON', async () => {
    const table = await runCli(['report', 'agents', ...range, data]);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split('\n');
    expect(header).toMatch(/^peer\s+agentname\s+from\s+to\s+offered\s+answered\s+ringNoAnswer\s+talkSeconds\s+aht\s+outbound\s+pausedSeconds$/);
    expect(row?.split(/\s{2,}/)).toEqual(['SIP/anna', 'Agent anna', '2026-03-02T09:00:00.000Z', '2026-03-02T11:00:00.000Z', '2', '1', '1', '90', '90', '1', '0']);
    const json = await runCli(['report', 'agents', ...range, data, '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ peer: 'SIP/anna', offered: 2, ringNoAnswer: 1, outbound: 1 })]);
  });

  it('names the bad option', async () => {
    const r = await runCli(['report', 'queues', '--from', '2026-03-03', '--to', '2026-03-01', '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('from: is after to');
    const interval = await runCli(['report', 'queues', '--interval', 'week', '--data', data]);
    expect(interval.code).toBe(2);
  });
});
