// An older integration script: the real socket.io-client 2.x, connecting to the default
// namespace with ?token=, receiving call events and emitting the three commands exactly as
// the seed's wakeup, notification and pushevent do (no ack callback).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, seedEvents, startTestHub, until, type TestHub } from '../../server/test/helpers.js';

interface V2Socket {
  connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): V2Socket;
  once(event: string, listener: (...args: unknown[]) => void): V2Socket;
  emit(event: string, ...args: unknown[]): V2Socket;
  close(): void;
}
type V2Io = (url: string, options?: Record<string, unknown>) => V2Socket;

// socket.io-client-v2 is an npm alias of socket.io-client@2 (CommonJS, untyped).
const ioV2 = createRequire(import.meta.url)('socket.io-client-v2') as V2Io;

let t: TestHub;
let seed: Awaited<ReturnType<typeof seedEvents>>;
beforeAll(async () => {
  t = await startTestHub();
  seed = await seedEvents();
});
afterAll(async () => {
  await t.stop();
});

function connectV2(query: string): Promise<V2Socket> {
  const socket = ioV2(`${t.url}?${query}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error: unknown) => {
      socket.close();
      reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
    });
    socket.once('connect_error', (error: unknown) => {
      socket.close();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

// The seed's functions, as the original documentation shows them.
function seedFunctions(socket: V2Socket) {
  return {
    wakeup: (url: string, peer: string, mode: string) => socket.emit('AgentCTI', { url, peer, mode }),
    notification: (peer: string, type: string, title: string, body: string) =>
      socket.emit('AgentCTINotification', { peer, type, title, body }),
    pushevent: (appname: string, data: Record<string, unknown>, reference: string, url: string) => {
      data['time'] = new Date().toISOString();
      socket.emit('RealtimeCTI', { type: appname, channel: data, reference, url });
    },
  };
}

describe('socket.io-client 2.x', () => {
  it('receives the seed events unchanged, plus seq, time and variables', async () => {
    const socket = await connectV2(`token=${encodeURIComponent(t.tokens.integration)}`);
    const got: Record<string, unknown>[] = [];
    for (const name of ['ringing', 'up', 'hangup', 'abandon', 'outbound']) socket.on(name, (e) => void got.push(e as Record<string, unknown>));
    await t.ingest([seed.ringing, seed.up, seed.hangup, seed.abandon, seed.outbound]);
    await until(() => got.length === 5, 5000, 'the five events');
    const samples = [seed.ringing, seed.up, seed.hangup, seed.abandon, seed.outbound];
    got.forEach((event, i) => {
      expect(event).toMatchObject(samples[i] as Record<string, unknown>);
      expect(typeof event['seq']).toBe('number');
      expect(typeof event['time']).toBe('string');
      expect(event['variables']).toEqual({});
    });
    socket.close();
  });

  it('wakeup, notification and pushevent reach the agent and the supervisors', async () => {
    const socket = await connectV2(`token=${encodeURIComponent(t.tokens.integration)}`);
    const agent = await connectClient(t.url, '/agent', { token: t.tokens.agent });
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    const pops = collect<Record<string, unknown>>(agent, ['AgentCTI']);
    const notes = collect<Record<string, unknown>>(agent, ['AgentCTINotification']);
    const rows = collect<Record<string, unknown>>(supervisor, ['RealtimeCTI']);
    const { wakeup, notification, pushevent } = seedFunctions(socket);

    socket.on('up', (data) => {
      const call = data as Record<string, unknown> & { peer: string; uniqueid: string };
      wakeup(`http://orders.example.test/sales?ordernumber=${String((call['variables'] as Record<string, string>)['ordernumber'])}`, call.peer, 'new_frame');
      notification(call.peer, 'info', 'Incoming call', `Caller ${String(call['callernum'])}`);
      pushevent('SalesCRM', call, `ticket-${call.uniqueid}`, `http://crm.example.test/tickets/${call.uniqueid}`);
    });
    await t.ingest([{ ...seed.up, peer: t.peer, uniqueid: 'v2.1', variables: { ordernumber: 'A-1001' } }]);

    await until(() => pops.length === 1 && notes.length === 1 && rows.length === 1, 5000, 'the three commands');
    expect(pops[0]).toMatchObject({ url: 'http://orders.example.test/sales?ordernumber=A-1001', peer: t.peer, mode: 'new_frame' });
    expect(notes[0]).toMatchObject({ peer: t.peer, type: 'info', title: 'Incoming call', body: `Caller ${String(seed.up['callernum'])}` });
    expect(rows[0]).toMatchObject({ type: 'SalesCRM', reference: 'ticket-v2.1', url: 'http://crm.example.test/tickets/v2.1' });
    expect((rows[0]?.['channel'] as Record<string, unknown>)['uniqueid']).toBe('v2.1');
    for (const s of [socket, agent, supervisor]) s.close();
  });

  it('gets a cti_error event for a bad command and stays connected', async () => {
    const socket = await connectV2(`token=${encodeURIComponent(t.tokens.integration)}`);
    const errors: unknown[] = [];
    socket.on('cti_error', (e) => void errors.push(e));
    socket.emit('AgentCTI', { url: 'javascript:alert(1)', peer: 'SIP/x', mode: 'new_tab' });
    await until(() => errors.length === 1, 3000, 'the cti_error');
    expect(errors[0]).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'url', command: 'AgentCTI' });
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it('is refused without a valid token', async () => {
    await expect(connectV2('token=wrong')).rejects.toThrow(/UNAUTHORIZED/);
  });
});
