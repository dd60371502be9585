import type { CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, startTestHub, until } from '../../../server/test/helpers.js';
import { createAmiSource } from '../../src/ami/source.js';
import { startFakeAmiServer } from './fake-ami-server.js';
import { createTestSqliteStore } from '../../../store/test/sqlite-helpers.js';
import { loadTranscript, transcriptNames } from './transcripts.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Asterisk through the hub', () => {
  it('delivers scenario 03 to a connected integration, numbered, timed, with its custom variables', async () => {
    const transcript = loadTranscript('03-sales-no-answer-then-answer-with-variables');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const pbx = await startFakeAmiServer({ transcript, gate });
    cleanup.push(() => pbx.close());
    const hub = await startTestHub({
      sources: [
        (sink, logger) =>
          createAmiSource({
            url: `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`,
            customVariables: ['ordernumber', 'customerid'],
            outboundContexts: ['from-internal'],
            sink,
            logger,
          }),
      ],
    });
    cleanup.push(() => hub.stop());
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    cleanup.push(async () => void integration.close());
    const received = collect<CallEventInput & { seq: number; time: string }>(integration, ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']);

    // The call starts once the integration is listening, as on a live PBX.
    open();
    await until(() => received.length >= transcript.expected.length, 10_000, 'the call events');
    await pbx.replayed;

    expect(received.map(({ seq: _seq, time: _time, ...event }) => event)).toEqual(transcript.expected);
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const event of received) expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(received.every((e) => e.variables?.['ordernumber'] === 'A-1001' && e.variables['customerid'] === 'C-77')).toBe(true);
  });
});

describe('every recorded scenario, end to end through the hub', () => {
  it.each(transcriptNames())('%s: the integration gets exactly the expected call events', async (name) => {
    const transcript = loadTranscript(name);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const pbx = await startFakeAmiServer({ transcript, gate });
    cleanup.push(() => pbx.close());
    // The store is the test's own, so it can be read after the hub has drained and closed.
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
    const received = collect<CallEventInput & { seq: number; time: string }>(integration, ['ringing', 'ringend', 'up', 'hangup', 'abandon', 'outbound']);

    open();
    await pbx.replayed;
    await until(() => received.length >= transcript.expected.length, 10_000, `${name}: the call events`);
    // Closing the hub stops the source once it has handed over every event, then drains ingest.
    await hub.hub.close();
    const strip = <T extends { seq: number; time: string }>({ seq: _s, time: _t, ...event }: T) => event;
    expect(received.map(strip)).toEqual(transcript.expected);
    const stored = await store.eventsAfter(0, 1000);
    expect(stored.map((e) => strip(e as unknown as { seq: number; time: string }))).toEqual(transcript.expected);
  });
});
