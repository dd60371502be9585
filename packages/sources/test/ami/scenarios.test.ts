import { callEventInput, type CallEventInput } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { amiField } from '../../src/ami/parser.js';
import { createAmiSource, type AmiSource } from '../../src/ami/source.js';
import { startFakeAmiServer, type FakeAmiServer } from './fake-ami-server.js';
import { loadTranscript, transcriptNames, withoutIds } from './transcripts.js';

const config = { customVariables: ['ordernumber', 'customerid'], outboundContexts: ['from-internal'] };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function run(server: FakeAmiServer): Promise<{ events: CallEventInput[]; source: AmiSource }> {
  const events: CallEventInput[] = [];
  const source = createAmiSource({
    url: `asterisk://cti:ctisecret@127.0.0.1:${server.port}`,
    ...config,
    sink: { emit: async (event) => void events.push(event) },
    reconnect: { initialMs: 10, maxMs: 50 },
  });
  cleanup.push(() => source.stop(), () => server.close());
  await source.start();
  return { events, source };
}

describe.each(['message', 'bytes'] as const)('AMI source on the recorded transcripts (%s writes)', (chunking) => {
  it.each(transcriptNames())('%s', async (name) => {
    const transcript = loadTranscript(name);
    const server = await startFakeAmiServer({ transcript, chunking });
    const { events, source } = await run(server);
    await server.replayed;
    // The Logoff answer comes after every replayed message, and stop() waits for the sink.
    await source.stop();
    expect(withoutIds(events)).toEqual(transcript.expected);
    for (const event of events) expect(callEventInput.safeParse(event).error).toBeUndefined();
    // Every event carries an id made of the PBX's identifiers, different for each event.
    const ids = events.map((event) => event.eventid);
    for (const [i, id] of ids.entries()) expect(id).toMatch(new RegExp(`^ami:${events[i]?.uniqueid.replace('.', '\\.')}:${events[i]?.event}`));
    expect(new Set(ids).size).toBe(ids.length);
    // Every connection logged in once; the last one resynchronised (07 drops the first
    // connection before the fake server reads its QueueStatus).
    const conns = [...Array(server.accepted).keys()].map((i) => i + 1);
    const sent = (action: string) => server.actions.filter((a) => amiField(a.action, 'Action') === action).map((a) => a.conn);
    expect(sent('Login')).toEqual(conns);
    expect(sent('CoreShowChannels')).toContain(server.accepted);
  });
});
