import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callEventInput, type CallEventInput } from '@shuttle-cti/protocol';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { cliToken, startServe } from '../../../server/test/faults/serve-process.js';
import { collect, connectClient, startTestHub, until } from '../../../server/test/helpers.js';
import { freePort } from '../../../store/test/tcp-proxy.js';
import { createTestSqliteStore } from '../../../store/test/sqlite-helpers.js';
import { amiField } from '../../src/ami/parser.js';
import { createAmiSource } from '../../src/ami/source.js';
import { deriveScenarios, resyncFixturesDir } from './derive-scenarios.js';
import { startFakeAmiServer } from './fake-ami-server.js';
import { loadTranscript, transcriptNames, withoutIds } from './transcripts.js';

type Received = CallEventInput & { seq: number; time: string };
const config = { customVariables: ['ordernumber', 'customerid'], outboundContexts: ['from-internal'] };
const strip = ({ seq: _seq, time: _time, ...event }: Received) => event;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('the reconnect scenarios', () => {
  it('are what derive-scenarios.ts builds from the recorded transcripts', () => {
    for (const scenario of deriveScenarios()) {
      const stored = loadTranscript(scenario.name, resyncFixturesDir);
      expect(stored.lines).toEqual(scenario.lines);
      expect(stored.expected).toEqual(scenario.expected);
    }
  });
});

describe('AMI source across a dropped connection', () => {
  it.each(transcriptNames(resyncFixturesDir))('%s: tells each agent what it missed, once', async (name) => {
    const transcript = loadTranscript(name, resyncFixturesDir);
    const server = await startFakeAmiServer({ transcript });
    const events: CallEventInput[] = [];
    const source = createAmiSource({
      url: `asterisk://cti:ctisecret@127.0.0.1:${server.port}`,
      ...config,
      sink: { emit: async (event) => void events.push(event) },
      reconnect: { initialMs: 10, maxMs: 50 },
    });
    cleanup.push(() => source.stop(), () => server.close());
    await source.start();
    await server.replayed;
    // replayed means written, not read: stopping at once could log off before the client read the lists.
    await until(() => events.length >= transcript.expected.length, 10_000, `${name}: the call events`);
    await source.stop();
    expect(withoutIds(events)).toEqual(transcript.expected);
    for (const event of events) expect(callEventInput.safeParse(event).error).toBeUndefined();
    const ids = events.map((e) => e.eventid);
    expect(new Set(ids).size).toBe(ids.length);
    expect(server.accepted).toBe(2);
  });
});

/** Runs a transcript from a fake Asterisk through a real hub; what an integration got and what was stored. */
async function throughHub(name: string, dir: string) {
  const transcript = loadTranscript(name, dir);
  const pbx = await startFakeAmiServer({ transcript });
  cleanup.push(() => pbx.close());
  const { store, cleanup: dropStore } = await createTestSqliteStore();
  cleanup.push(dropStore);
  const hub = await startTestHub({
    store,
    sources: [
      (sink, logger) =>
        createAmiSource({ url: `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`, ...config, reconnect: { initialMs: 20, maxMs: 100 }, sink, logger }),
    ],
  });
  cleanup.push(() => hub.stop());
  const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration, lastSeq: 0 });
  cleanup.push(async () => void integration.close());
  const received = collect<Received>(integration, ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']);
  await pbx.replayed;
  await until(() => received.length >= transcript.expected.length, 10_000, `${name}: the call events`);
  await hub.hub.close();
  // The queue members' agentstate events (protocol 1.2) share the stream; these tests are about calls.
  const stored = ((await store.eventsAfter(0, 1000)) as unknown as Received[]).filter((e) => (e.event as string) !== 'agentstate');
  return { transcript, received: [...received], stored };
}

describe('Asterisk through the hub across a dropped connection', () => {
  it.each(transcriptNames(resyncFixturesDir))('%s: the integration gets the missed events, and no panel keeps the call', async (name) => {
    const { transcript, received, stored } = await throughHub(name, resyncFixturesDir);
    expect(withoutIds(received.map(strip))).toEqual(transcript.expected);
    expect(withoutIds(stored.map(strip))).toEqual(transcript.expected);
  });
});

describe('hub killed with SIGKILL mid-call (07) and started again', () => {
  it('publishes ringing, up and hangup once each: the restarted hub knows the up was published', async () => {
    const transcript = loadTranscript('07-hub-restart-mid-call');
    // The first hub gets connection 1 (ringing, up) and dies; the restarted one connection 2.
    const pbx = await startFakeAmiServer({ transcript, keepOpen: true });
    cleanup.push(() => pbx.close());
    const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-ami-kill-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const configFile = join(dir, 'hub.json');
    await writeFile(configFile, JSON.stringify({ ami: { url: `asterisk://cti@127.0.0.1:${pbx.port}`, secret: 'ctisecret' }, ...config }));
    const dataDir = join(dir, 'data');
    const port = await freePort();
    const token = await cliToken(dataDir, 'integration');
    const supervisor = await cliToken(dataDir, 'supervisor');

    const received: Received[] = [];
    const socket = ioClient(`http://127.0.0.1:${port}`, {
      auth: (cb) => cb({ token, lastSeq: received.at(-1)?.seq ?? 0 }),
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
    });
    cleanup.push(async () => void socket.close());
    for (const name of ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']) socket.on(name, (e: Received) => received.push(e));

    let hub = await startServe({ port, dataDir, config: configFile });
    cleanup.push(() => hub.kill());
    await until(() => received.some((e) => e.event === 'up'), 20_000, 'the up from the first hub');
    await hub.kill('SIGKILL');
    await pbx.closedConnection(1);
    hub = await startServe({ port, dataDir, config: configFile });
    await pbx.replayed;
    await until(() => received.some((e) => e.event === 'hangup'), 20_000, 'the hangup from the restarted hub');
    // A clean stop hands over every event the source produced before closing.
    await hub.kill('SIGTERM');
    hub = await startServe({ port, dataDir, config: configFile });

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { headers: { authorization: `Bearer ${supervisor}` } });
    const stored = ((await res.json()) as { events: Received[] }).events.filter((e) => (e.event as string) !== 'agentstate');
    expect(withoutIds(stored.map(strip))).toEqual(transcript.expected);
    expect(withoutIds(received.map(strip))).toEqual(transcript.expected);
    // The restarted hub logged in and resynchronised on connection 2.
    const sent = (action: string) => pbx.actions.filter((a) => amiField(a.action, 'Action') === action).map((a) => a.conn);
    expect(sent('CoreShowChannels')).toContain(2);
  }, 120_000);
});

describe('hub restarted while phones ring (10), the call answered while it was down', () => {
  it('the new hub tells the up and the other member’s ringend, from what the first hub published', async () => {
    const transcript = loadTranscript('10-drop-while-ringing-answered-elsewhere', resyncFixturesDir);
    const pbx = await startFakeAmiServer({ transcript, keepOpen: true });
    cleanup.push(() => pbx.close());
    const { store, cleanup: dropStore } = await createTestSqliteStore();
    cleanup.push(dropStore);
    const source = (sink: Parameters<typeof createAmiSource>[0]['sink'], logger: Parameters<typeof createAmiSource>[0]['logger']) =>
      createAmiSource({ url: `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`, ...config, reconnect: { initialMs: 20, maxMs: 100 }, sink, ...(logger ? { logger } : {}) });
    const first = await startTestHub({ store, sources: [source] });
    const callEvents = async (): Promise<number> => (await store.eventsAfter(0, 100)).filter((e) => (e.event as string) !== 'agentstate').length;
    await until(async () => (await callEvents()) >= 2, 10_000, 'both ringing events stored');
    await first.stop();
    await pbx.closedConnection(1);

    const second = await startTestHub({ store, sources: [source] });
    cleanup.push(() => second.stop());
    await pbx.replayed;
    await until(async () => (await callEvents()) >= transcript.expected.length, 10_000, 'every event stored');
    await second.hub.close();
    const stored = ((await store.eventsAfter(0, 100)) as unknown as Received[]).filter((e) => (e.event as string) !== 'agentstate');
    expect(withoutIds(stored.map(strip))).toEqual(transcript.expected);
    // The late up carries the id the live one would have had (the member channel's Uniqueid).
    expect(stored.find((e) => e.event === 'up')?.eventid).toBe('ami:1795975992.0:up:1795975992.1');
  });
});
