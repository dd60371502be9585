import type { CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, startTestHub, until } from '../../../server/test/helpers.js';
import { createTestSqliteStore } from '../../../store/test/sqlite-helpers.js';
import { createAmiSource } from '../../src/ami/source.js';
import { startFakeAmiServer } from './fake-ami-server.js';
import { loadTranscript, transcriptNames, withoutIds } from './transcripts.js';

type Received = CallEventInput & { seq: number; time: string };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/**
 * Replays a transcript from a fake Asterisk into a real hub and returns what a connected
 * integration received and what the hub stored, once the hub has drained and closed.
 */
async function throughHub(name: string): Promise<{ expected: CallEventInput[]; received: Received[]; stored: Received[] }> {
  const transcript = loadTranscript(name);
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const pbx = await startFakeAmiServer({ transcript, gate });
  cleanup.push(() => pbx.close());
  // The store is the test's own, so it can be read after the hub has closed.
  const { store, cleanup: dropStore } = await createTestSqliteStore();
  cleanup.push(dropStore);
  const hub = await startTestHub({
    store,
    sources: [
      (sink, logger) =>
        createAmiSource({
          url: `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`,
          customVariables: ['ordernumber', 'customerid'],
          outboundContexts: ['from-internal'],
          reconnect: { initialMs: 20, maxMs: 100 },
          sink,
          logger,
        }),
    ],
  });
  cleanup.push(() => hub.stop());
  const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
  cleanup.push(async () => void integration.close());
  const received = collect<Received>(integration, ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']);

  // The call starts once the integration is listening, as on a live PBX.
  open();
  await pbx.replayed;
  await until(() => received.length >= transcript.expected.length, 10_000, `${name}: the call events`);
  // Closing the hub stops the source once it has handed over every event, then drains ingest.
  await hub.hub.close();
  // The queue members' agentstate events (protocol 1.2) are stored in the same stream.
  const stored = ((await store.eventsAfter(0, 1000)) as unknown as Received[]).filter((e) => (e.event as string) !== 'agentstate');
  return { expected: transcript.expected, received: [...received], stored };
}

const strip = ({ seq: _seq, time: _time, ...event }: Received) => event;

describe('Asterisk through the hub', () => {
  it.each(transcriptNames())('%s: the integration gets exactly the expected call events', async (name) => {
    const { expected, received, stored } = await throughHub(name);
    expect(withoutIds(received.map(strip))).toEqual(expected);
    expect(withoutIds(stored.map(strip))).toEqual(expected);
  });

  it('numbers and times the events of scenario 03 and carries its custom variables', async () => {
    const { received } = await throughHub('03-sales-no-answer-then-answer-with-variables');
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const event of received) expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(received.every((e) => e.variables?.['ordernumber'] === 'A-1001' && e.variables['customerid'] === 'C-77')).toBe(true);
  });
});
