import type { CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connectClient, startTestHub, until } from '../../../server/test/helpers.js';
import { createAmiSource } from '../../src/ami/source.js';
import { startFakeAmiServer } from './fake-ami-server.js';
import { loadTranscript } from './transcripts.js';

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
