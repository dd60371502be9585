import type { Store } from '@shuttle-cti/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentStateEvent, byTime, outboundEvent, queueCallEvents } from '../../store/test/call-events.js';
import { createTestPgStore, describePostgres, type TestPgStore } from '../../store/test/pg-helpers.js';
import { startTestHub, type TestHub } from './helpers.js';

/**
 * A fixed set of calls on 2 March 2026 between 09:00 and 11:00 in Rome (UTC+1), with the
 * figures worked out by hand below. A = SIP/anna, B = SIP/bruno.
 */
const B0 = Date.parse('2026-03-02T08:00:00Z'); // 09:00 in Rome
const s = (seconds: number): number => B0 + seconds * 1000;
const A = 'SIP/anna';
const B = 'SIP/bruno';

const events = byTime([
  // Before the range (08:30): never counted.
  ...queueCallEvents({ uniqueid: 's0', queue: 'Support', enteredMs: s(-1800), rings: [{ peer: A, at: 1 }], answer: { peer: A, hold: 5, talk: 10 } }),
  // 09:01, answered by A in 10 s, 100 s of talk.
  ...queueCallEvents({ uniqueid: 's1', queue: 'Support', enteredMs: s(60), rings: [{ peer: A, at: 2 }], answer: { peer: A, hold: 10, talk: 100 } }),
  // 09:10, A does not answer (timeout), B answers after 30 s, 200 s of talk.
  ...queueCallEvents({
    uniqueid: 's2',
    queue: 'Support',
    enteredMs: s(600),
    rings: [{ peer: A, at: 1, noAnswer: 'timeout' }, { peer: B, at: 16 }],
    answer: { peer: B, hold: 30, talk: 200 },
  }),
  // 09:20, rings A, the caller gives up after 45 s (abandon after ringing).
  ...queueCallEvents({ uniqueid: 's3', queue: 'Support', enteredMs: s(1200), rings: [{ peer: A, at: 2, noAnswer: 'caller-left' }], abandon: { hold: 45 } }),
  // 09:59:50, answered at 10:00:05: counts in the 09:00 hour (when it entered).
  ...queueCallEvents({ uniqueid: 's4', queue: 'Support', enteredMs: s(3590), rings: [{ peer: B, at: 5 }], answer: { peer: B, hold: 15, talk: 60 } }),
  // 10:06:40 in Sales, A answers in 5 s and transfers after 50 s to Support, where B answers in 8 s.
  ...queueCallEvents({ uniqueid: 's5', queue: 'Sales', enteredMs: s(4000), rings: [{ peer: A, at: 1 }], answer: { peer: A, hold: 5, talk: 50, reason: 'transfer' } }),
  ...queueCallEvents({ uniqueid: 's5', queue: 'Support', enteredMs: s(4055), rings: [{ peer: B, at: 2 }], answer: { peer: B, hold: 8, talk: 40 } }),
  // 10:10, A answers in 3 s and is still talking: answered, not in the handle time.
  ...queueCallEvents({ uniqueid: 's6', queue: 'Support', enteredMs: s(4200), rings: [{ peer: A, at: 1 }], answer: { peer: A, hold: 3 } }),
  // Outbound calls: not queue calls, only the agents' outbound column.
  outboundEvent('o1', A, s(500)),
  outboundEvent('o2', B, s(4500)),
  // A paused in Support 09:30–09:40 and in Sales 09:35–09:45 (once: 900 s); B 09:55–10:05.
  agentStateEvent(A, 'Support', true, s(1800)),
  agentStateEvent(A, 'Sales', true, s(2100)),
  agentStateEvent(A, 'Support', false, s(2400)),
  agentStateEvent(A, 'Sales', false, s(2700)),
  agentStateEvent(B, 'Support', true, s(3300)),
  agentStateEvent(B, 'Support', false, s(3900)),
]);

const range = 'from=2026-03-02T09:00:00%2B01:00&to=2026-03-02T11:00:00%2B01:00';
const h09 = { from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' };
const h10 = { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' };
const total = { from: h09.from, to: h10.to };
const none = { offered: 0, answered: 0, abandoned: 0, answeredWithinSla: 0, serviceLevel: null, asa: null, aht: null, maxWait: null, abandonRate: null };

const expectedQueuesByHour = [
  // Sales had no call in the 09:00 hour: a row of zeros.
  { queue: 'Sales', ...h09, ...none },
  { queue: 'Sales', ...h10, offered: 1, answered: 1, abandoned: 0, answeredWithinSla: 1, serviceLevel: 100, asa: 5, aht: 50, maxWait: 5, abandonRate: 0 },
  // s1, s2, s3, s4: 4 offered, 3 answered (s1 and s4 within 20 s), asa (10+30+15)/3, aht (100+200+60)/3.
  { queue: 'Support', ...h09, offered: 4, answered: 3, abandoned: 1, answeredWithinSla: 2, serviceLevel: 50, asa: 18.3, aht: 120, maxWait: 45, abandonRate: 25 },
  // s5 after the transfer and s6 (still talking: not in aht).
  { queue: 'Support', ...h10, offered: 2, answered: 2, abandoned: 0, answeredWithinSla: 2, serviceLevel: 100, asa: 5.5, aht: 40, maxWait: 8, abandonRate: 0 },
];

const expectedAgentsByHour = [
  // Rung for s1, s2, s3; answered s1; no answer (timeout) on s2; o1; paused 900 s.
  { peer: A, agentname: 'Agent anna', ...h09, offered: 3, answered: 1, ringNoAnswer: 1, talkSeconds: 100, aht: 100, outbound: 1, pausedSeconds: 900 },
  // Rung for and answered s5 (Sales) and s6 (still talking).
  { peer: A, agentname: 'Agent anna', ...h10, offered: 2, answered: 2, ringNoAnswer: 0, talkSeconds: 50, aht: 50, outbound: 0, pausedSeconds: 0 },
  // s2 and s4 (its ring at 09:59:55 counts in the 09:00 hour, with the call).
  { peer: B, agentname: 'Agent bruno', ...h09, offered: 2, answered: 2, ringNoAnswer: 0, talkSeconds: 260, aht: 130, outbound: 0, pausedSeconds: 300 },
  { peer: B, agentname: 'Agent bruno', ...h10, offered: 1, answered: 1, ringNoAnswer: 0, talkSeconds: 40, aht: 40, outbound: 1, pausedSeconds: 300 },
];

function reportSuite(name: string, makeStore: () => Promise<{ store?: Store; cleanup: () => Promise<void> }>): void {
  describe(`reports (${name})`, () => {
    let t: TestHub;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const made = await makeStore();
      cleanup = made.cleanup;
      t = await startTestHub({ config: { reports: { timeZone: 'Europe/Rome' } }, ...(made.store ? { store: made.store } : {}) });
      // Stored as the hub's ingest stores them, with the times of the plan.
      await t.hub.store.appendEvents(events);
    });
    afterAll(async () => {
      await t.stop();
      await cleanup();
    });

    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.tokens.supervisor}`, ...headers } });
      return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    };
    const json = async (path: string) => JSON.parse((await get(path)).text) as { rows: Record<string, unknown>[] } & Record<string, unknown>;

    it('queues per hour: the figures worked out by hand', async () => {
      const body = await json(`/api/v1/reports/queues?${range}&interval=hour`);
      expect(body.rows).toEqual(expectedQueuesByHour);
      expect(body).toMatchObject({ ...total, interval: 'hour', timeZone: 'Europe/Rome', sla: 20, target: { serviceLevel: 80, sla: 20 } });
    });

    it('queues in total, and with another sla', async () => {
      expect((await json(`/api/v1/reports/queues?${range}&interval=total`)).rows).toEqual([
        { queue: 'Sales', ...total, offered: 1, answered: 1, abandoned: 0, answeredWithinSla: 1, serviceLevel: 100, asa: 5, aht: 50, maxWait: 5, abandonRate: 0 },
        // 6 offered, 5 answered (4 within 20 s), asa 66/5, aht 400/4, abandonRate 1/6.
        { queue: 'Support', ...total, offered: 6, answered: 5, abandoned: 1, answeredWithinSla: 4, serviceLevel: 66.7, asa: 13.2, aht: 100, maxWait: 45, abandonRate: 16.7 },
      ]);
      // Within 10 s: s1 (10, inclusive), s5 in Support (8), s6 (3).
      const support = (await json(`/api/v1/reports/queues?${range}&sla=10`)).rows.find((r) => r['queue'] === 'Support');
      expect(support).toMatchObject({ answeredWithinSla: 3, serviceLevel: 50 });
    });

    it('days cut at midnight in the report time zone', async () => {
      // 2 March in Rome is 23:00 on the 1st to 23:00 on the 2nd in UTC; s0 (08:30) is in it.
      const rome = await json('/api/v1/reports/queues?from=2026-03-02&to=2026-03-03&interval=day');
      expect(rome.rows.filter((r) => r['queue'] === 'Support').map((r) => [r['from'], r['to'], r['offered']])).toEqual([
        ['2026-03-01T23:00:00.000Z', '2026-03-02T23:00:00.000Z', 7],
        ['2026-03-02T23:00:00.000Z', '2026-03-03T23:00:00.000Z', 0],
      ]);
      const tokyo = await json('/api/v1/reports/queues?from=2026-03-02&to=2026-03-02&interval=day&tz=Asia/Tokyo');
      expect(tokyo.rows.filter((r) => r['queue'] === 'Support').map((r) => [r['from'], r['offered']])).toEqual([['2026-03-01T15:00:00.000Z', 7]]);
    });

    it('agents per hour: rung, answered, ring-no-answers, talk, outbound, pauses', async () => {
      expect((await json(`/api/v1/reports/agents?${range}&interval=hour`)).rows).toEqual(expectedAgentsByHour);
      const totals = (await json(`/api/v1/reports/agents?${range}`)).rows;
      expect(totals.map((r) => [r['peer'], r['offered'], r['answered'], r['talkSeconds'], r['aht'], r['outbound'], r['pausedSeconds']])).toEqual([
        [A, 5, 3, 150, 75, 1, 900],
        [B, 3, 3, 300, 100, 1, 600],
      ]);
    });

    it('answers CSV for format=csv and for Accept: text/csv', async () => {
      const csv = await get(`/api/v1/reports/queues?${range}&interval=hour&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.type).toMatch(/^text\/csv/);
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('queue,from,to,offered,answered,abandoned,answeredWithinSla,serviceLevel,asa,aht,maxWait,abandonRate');
      expect(lines[1]).toBe('Sales,2026-03-02T08:00:00.000Z,2026-03-02T09:00:00.000Z,0,0,0,0,,,,,');
      expect(lines[3]).toBe('Support,2026-03-02T08:00:00.000Z,2026-03-02T09:00:00.000Z,4,3,1,2,50,18.3,120,45,25');
      expect(lines).toHaveLength(5);
      const agents = await get(`/api/v1/reports/agents?${range}`, { accept: 'text/csv' });
      expect(agents.type).toMatch(/^text\/csv/);
      expect(agents.text.split('\r\n')[1]).toBe(`${A},Agent anna,${total.from},${total.to},5,3,1,150,75,1,900`);
    });

    it('refuses bad parameters with an error naming the parameter', async () => {
      const cases: [string, string][] = [
        ['from=2026-03-04&to=2026-03-02', 'from'],
        ['from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z', 'from'],
        ['interval=week', 'interval'],
        ['from=2025-01-01&to=2026-03-02', 'to'],
        ['from=2026-01-01&to=2026-03-02&interval=hour', 'interval'],
        ['sla=abc', 'sla'],
        ['from=yesterday', 'from'],
        ['tz=Mars/Olympus', 'tz'],
        ['format=xml', 'format'],
      ];
      for (const [query, field] of cases) {
        const r = await get(`/api/v1/reports/queues?${query}`);
        expect([query, r.status]).toEqual([query, 400]);
        expect(JSON.parse(r.text)).toEqual({ error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining(field) as unknown, field } });
      }
      expect((await get('/api/v1/reports/agents?interval=minute')).status).toBe(400);
    });

    it('needs a supervisor token', async () => {
      expect((await fetch(`${t.url}/api/v1/reports/queues`)).status).toBe(401);
      const agent = await fetch(`${t.url}/api/v1/reports/agents`, { headers: { authorization: `Bearer ${t.tokens.agent}` } });
      expect(agent.status).toBe(403);
    });

    it('counts a call posted to the hub now in today’s report', async () => {
      const now = Date.now();
      const posted = queueCallEvents({ uniqueid: `live-${now}`, queue: 'Live', enteredMs: now, rings: [{ peer: A, at: 0 }], answer: { peer: A, hold: 0, talk: 0 } });
      for (const e of posted) {
        const { time, variables, ...input } = e as Record<string, unknown>;
        void time;
        void variables;
        const r = await fetch(`${t.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.tokens.source}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
        expect(r.status).toBe(202);
      }
      const live = (await json('/api/v1/reports/queues')).rows.find((r) => r['queue'] === 'Live');
      expect(live).toMatchObject({ offered: 1, answered: 1, answeredWithinSla: 1, serviceLevel: 100 });
    });
  });
}

reportSuite('SQLite', async () => ({ cleanup: async () => undefined }));

describePostgres('postgres', () => {
  let db: TestPgStore | undefined;
  reportSuite('PostgreSQL', async () => {
    db = await createTestPgStore();
    return { store: db.store, cleanup: async () => db?.cleanup() };
  });
});
