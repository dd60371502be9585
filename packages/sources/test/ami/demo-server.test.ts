import { callEventInput, type CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startAmiDemoServer } from '../../src/ami/demo-server.js';
import { createAmiSource } from '../../src/ami/source.js';
import { demoAgents } from '../../src/simulator/floor.js';
import { captureLogger, until } from './helpers.js';
import { until as poll } from '../../../../test-support/poll.js';

/** A small seeded generator (mulberry32), so the demo's choices repeat from run to run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('AMI demo server', () => {
  it('plays queue traffic that the AMI source turns into valid, consistent call events', async () => {
    const demo = await startAmiDemoServer({ rate: 240, timeScale: 0.01, random: seeded(7) });
    cleanup.push(() => demo.close());
    const events: CallEventInput[] = [];
    const { logger, lines } = captureLogger();
    const source = createAmiSource({
      host: demo.host,
      port: demo.port,
      username: demo.username,
      secret: demo.secret,
      auth: 'md5',
      customVariables: ['ordernumber', 'customerid'],
      sink: { emit: async (event) => void events.push(event) },
      logger,
    });
    cleanup.push(() => source.stop());
    await source.start();
    const kinds = ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound'];
    const seen = () => new Set(events.map((e) => e.event));
    await until(() => kinds.every((k) => seen().has(k as CallEventInput['event'])) && events.filter((e) => e.event === 'hangup').length >= 3, 'every kind of call event', 20_000);
    await source.stop();

    expect(lines.some((l) => l.msg.startsWith('AMI: resynchronised'))).toBe(true);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    const peers = new Set(demoAgents.map((a) => a.peer));
    const byCall = new Map<string, CallEventInput[]>();
    for (const event of events) {
      expect(callEventInput.safeParse(event).error).toBeUndefined();
      byCall.set(event.uniqueid, [...(byCall.get(event.uniqueid) ?? []), event]);
      if (event.event !== 'abandon') expect(peers.has(event.peer)).toBe(true);
    }
    for (const [uniqueid, call] of byCall) {
      const names = call.map((e) => e.event);
      if (names[0] === 'outbound') {
        expect(names, uniqueid).toEqual(['outbound']);
        continue;
      }
      // A call the source met halfway (before it connected) may start anywhere; after that,
      // every up follows a ringing of the same member, every hangup follows an up.
      for (const [i, event] of call.entries()) {
        const before = call.slice(0, i);
        if (event.event === 'up' || event.event === 'ringend') {
          expect(before.some((e) => e.event === 'ringing' && e.peer === event.peer), `${uniqueid}: ${event.event} without ringing`).toBe(true);
        }
        if (event.event === 'hangup') expect(before.some((e) => e.event === 'up' && e.peer === event.peer), `${uniqueid}: hangup without up`).toBe(true);
        if (event.event === 'abandon') expect(before.some((e) => e.event === 'up'), `${uniqueid}: abandon after up`).toBe(false);
      }
      const sales = call.find((e) => e.event !== 'outbound' && e.queue === 'Sales');
      if (sales) expect(Object.keys(sales.variables ?? {}).sort()).toEqual(['customerid', 'ordernumber']);
    }
  });

  it('answers QueueStatus and CoreShowChannels with the calls in progress', async () => {
    const demo = await startAmiDemoServer({ rate: 600, timeScale: 0.05, random: seeded(3), secret: 'demo' });
    cleanup.push(() => demo.close());
    const { createAmiClient } = await import('../../src/ami/client.js');
    const client = createAmiClient({ host: demo.host, port: demo.port, username: 'cti', secret: 'demo' });
    cleanup.push(() => client.stop());
    await client.start();
    let channels: number[] = [];
    // Ask until a call is in progress, as a reconnecting hub would find it.
    const inProgress = async (): Promise<boolean> => {
      const { events } = await client.action({ Action: 'CoreShowChannels' });
      channels = [...channels, events.length];
      for (const ch of events) expect(ch).toMatchObject({ Event: 'CoreShowChannel', Uniqueid: expect.any(String), Channel: expect.any(String) });
      return events.length > 0;
    };
    await poll(inProgress, { what: 'a call in progress', ms: 10_000, everyMs: 0 });
    expect(channels.some((n) => n > 0)).toBe(true);
    const status = await client.action({ Action: 'QueueStatus' });
    expect(status.events.filter((e) => e['Event'] === 'QueueParams').map((e) => e['Queue'])).toEqual(['Sales', 'Support', 'Billing']);
    expect(status.events.filter((e) => e['Event'] === 'QueueMember').length).toBeGreaterThan(0);
  });
});
