import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, connectClient, nextEvent, seedEvents, startTestHub, until, type TestHub } from '../helpers.js';
import { seededRandom } from '@shuttle-cti/sources';
import { printCounts } from './counts.js';
import { checkAnswer, closeHttp, httpCase, send } from './fuzz-http.js';
import { rawFrame, sendRaw } from './fuzz-raw.js';
import { createToken } from '../../src/auth.js';
import { fuzzScope, isWireError, sendCase, socketCase, type Namespace } from './fuzz-socket.js';
import { createFuzz, overTheWire } from './fuzz-values.js';

/** FUZZ_SEED=<n> replays a run; each lane derives its own seed from it. */
const seed = Number(process.env['FUZZ_SEED'] ?? 20_240_601);
const socketLanes: { namespace: Namespace; cases: number; scoped?: true }[] = [
  { namespace: '/', cases: 1500 },
  { namespace: '/', cases: 1500 },
  { namespace: '/agent', cases: 1500 },
  { namespace: '/supervisor', cases: 1000 },
  // Scoped tokens (protocol 1.2): the same commands, answered within the scope.
  { namespace: '/', cases: 800, scoped: true },
  { namespace: '/supervisor', cases: 400, scoped: true },
];
const httpLanes = 8;
const httpCasesPerLane = 550;
const handshakes = 300;
const rawFrames = 600;

describe('fault: fuzzing every socket command and HTTP route', () => {
  let t: TestHub | undefined;
  const sockets: Socket[] = [];
  let stop = false;
  afterAll(async () => {
    stop = true;
    for (const s of sockets) s.close();
    closeHttp();
    await t?.stop();
  });

  it('answers every malformed payload with a documented error, never crashes, and leaves other clients unaffected', async () => {
    t = await startTestHub({ peer: 'SIP/bystander', config: { limits: { commandsPerSecond: 1_000_000 }, authFailures: { max: 1_000_000 } } });
    const hub = t;
    const failures: string[] = [];
    const fail = (lane: string, index: number, what: string, detail: string | undefined): void => {
      if (detail !== undefined && failures.length < 50) failures.push(`[seed ${seed} ${lane} #${index}] ${what}: ${detail}`);
    };
    const counts = { socketCases: 0, ctiErrors: 0, httpCases: 0, handshakes: 0, rawFrames: 0, rawClosed: 0, bystanderUps: 0 };

    // Bystanders: an integration answering ups for its agent with a pop, and that agent.
    const agent = await connectClient(hub.url, '/agent', { token: hub.tokens.agent });
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    sockets.push(agent, integration);
    const pops = collect<{ url: string }>(agent, ['AgentCTI']);
    const bystanderDisconnects: string[] = [];
    agent.on('disconnect', (r) => bystanderDisconnects.push(`agent: ${r}`));
    integration.on('disconnect', (r) => bystanderDisconnects.push(`integration: ${r}`));
    const upsSeen = new Set<string>();
    integration.on('up', (e: { peer: string; uniqueid: string }) => {
      if (e.peer !== hub.peer) return;
      upsSeen.add(e.uniqueid);
      integration.emit('AgentCTI', { url: `https://crm.example.test/bystander/${encodeURIComponent(e.uniqueid)}`, peer: e.peer, mode: 'new_frame' });
    });
    const seedSamples = await seedEvents();
    const bystanderUp = async (n: number): Promise<void> => {
      const res = await fetch(`${hub.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens.source}` },
        body: JSON.stringify({ ...seedSamples.up, peer: hub.peer, uniqueid: `bystander.${n}` }),
      });
      expect(res.status).toBe(202);
      counts.bystanderUps++;
    };

    const tokens = {
      '/': hub.tokens.integration,
      '/agent': await hub.agentToken('SIP/fuzz.target'),
      '/supervisor': hub.tokens.supervisor,
    } as const;

    const scopedTokens = {
      '/': (await createToken(hub.hub.store, { role: 'integration', name: 'fuzz-scoped', scope: fuzzScope })).secret,
      '/supervisor': (await createToken(hub.hub.store, { role: 'supervisor', name: 'fuzz-scoped', scope: fuzzScope })).secret,
    } as const;
    /** Call events that scoped sockets received: the bystander's calls are outside their scope, so none may arrive. */
    const crossed: string[] = [];

    const socketLane = async (lane: number, namespace: Namespace, cases: number, scoped = false): Promise<void> => {
      const fuzz = createFuzz(seededRandom(seed + lane), 1000);
      const token = scoped && namespace !== '/agent' ? scopedTokens[namespace] : tokens[namespace];
      const socket = await connectClient(hub.url, namespace, { token });
      sockets.push(socket);
      if (scoped) for (const name of ['ringing', 'up', 'hangup', 'outbound']) socket.on(name, (e: { uniqueid?: string }) => crossed.push(`${namespace} ${name} ${String(e.uniqueid)}`));
      let dropped = '';
      socket.on('disconnect', (reason) => (dropped = reason));
      for (let i = 0; i < cases && !dropped && !stop; i++) {
        const c = socketCase(fuzz, namespace, scoped);
        const withAck = fuzz.chance(0.7);
        if (!withAck && !c.expect.ok) counts.ctiErrors++;
        const detail = await sendCase(socket, namespace, c, withAck, () => nextEvent(socket, 'cti_error', 10_000)).catch((e: unknown) => String(e));
        fail(`socket ${namespace} lane ${lane}`, i, `${c.name} ${JSON.stringify(overTheWire(c.payload))?.slice(0, 200)}`, detail);
        counts.socketCases++;
      }
      fail(`socket ${namespace} lane ${lane}`, -1, 'connection', dropped ? `dropped: ${dropped}` : undefined);
    };

    const httpLane = async (lane: number): Promise<void> => {
      const fuzz = createFuzz(seededRandom(seed + 100 + lane));
      const samples = Object.values(seedSamples);
      for (let i = 0; i < httpCasesPerLane && !stop; i++) {
        if (i % 100 === 0) await bystanderUp(lane * 1000 + i);
        const c = httpCase(fuzz, hub.tokens, samples);
        const answer = await send(hub.url, c).catch((e: unknown) => ({ status: 0, text: String(e) }));
        fail(`http lane ${lane}`, i, `${c.method} ${c.path.slice(0, 120)} ${String(c.body ?? '').slice(0, 120)}`, checkAnswer(c, answer));
        counts.httpCases++;
      }
    };

    const handshakeLane = async (): Promise<void> => {
      const fuzz = createFuzz(seededRandom(seed + 200), 1000);
      const wrongRole = { '/': hub.tokens.supervisor, '/agent': hub.tokens.integration, '/supervisor': hub.tokens.source } as const;
      for (let i = 0; i < handshakes && !stop; i++) {
        const namespace = fuzz.pick(['/', '/agent', '/supervisor'] as const);
        const token = fuzz.chance(0.2) ? wrongRole[namespace] : overTheWire(fuzz.value());
        const inQuery = fuzz.chance(0.2);
        const socket = ioClient(hub.url + (namespace === '/' ? '' : namespace), {
          // A query string cannot carry lone surrogates (the client cannot encode them).
          // A query string cannot carry lone surrogates (the client cannot encode them), nor more
          // than 16 KiB (Node's parser refuses the upgrade request before socket.io sees it).
          ...(inQuery ? { query: { token: String(token).replace(/[\ud800-\udfff]/g, '?').slice(0, 4000) } } : { auth: { token, lastSeq: overTheWire(fuzz.value()) } }),
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        const outcome = await new Promise<string | undefined>((resolve) => {
          socket.once('connect', () => resolve('connected with a bad or wrong-role token'));
          socket.once('connect_error', (error: Error & { data?: unknown }) => {
            const data = error.data as { code?: string } | undefined;
            resolve(isWireError(data) && (data?.code === 'UNAUTHORIZED' || data?.code === 'FORBIDDEN') ? undefined : `connect_error ${error.message} ${JSON.stringify(error.data)}`);
          });
        });
        socket.close();
        fail('handshake', i, `${namespace} ${JSON.stringify(token)?.slice(0, 100)}`, outcome);
        counts.handshakes++;
      }
    };

    const rawLane = async (): Promise<void> => {
      const fuzz = createFuzz(seededRandom(seed + 300), 1000);
      let socket: Socket | undefined;
      for (let i = 0; i < rawFrames && !stop; i++) {
        if (!socket?.connected) {
          socket?.close();
          socket = await connectClient(hub.url, '/', { token: hub.tokens.integration });
        }
        const current = socket;
        const closed = new Promise<'closed'>((resolve) => current.once('disconnect', () => resolve('closed')));
        const frame = rawFrame(fuzz);
        sendRaw(current, frame);
        counts.rawFrames++;
        // Either the decoder refused the frame and closed this one connection (socket.io's
        // answer to a packet it cannot decode), or the connection still serves commands.
        const probe = current.timeout(10_000).emitWithAck('CustomVariables', { uniqueid: 'raw' }).catch((e: unknown) => String(e));
        const outcome = await Promise.race([closed, probe]);
        if (outcome === 'closed') counts.rawClosed++;
        else fail('raw', i, frame.slice(0, 200), (outcome as { ok?: boolean }).ok === true ? undefined : `no answer after the frame: ${JSON.stringify(outcome)}`);
      }
      socket?.close();
    };

    // A lane that throws stops the others, so the hub can be closed.
    const lane = (run: Promise<void>): Promise<void> =>
      run.catch((error: unknown) => {
        stop = true;
        throw error;
      });
    await Promise.all([
      ...socketLanes.map((l, i) => lane(socketLane(i, l.namespace, l.cases, l.scoped))),
      ...Array.from({ length: httpLanes }, (_, i) => lane(httpLane(i))),
      lane(handshakeLane()),
      lane(rawLane()),
    ]);

    await until(() => pops.length >= counts.bystanderUps, 20_000, 'the bystander pops');
    const health = await fetch(`${hub.url}/healthz`);
    const total = counts.socketCases + counts.httpCases + counts.handshakes + counts.rawFrames;
    printCounts('fuzz', { seed, total, ...counts, bystanderPops: pops.length, bystanderUpsSeen: upsSeen.size, failures: failures.length });
    expect(failures).toEqual([]);
    expect(crossed).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(health.status).toBe(200);
    expect(bystanderDisconnects).toEqual([]);
    expect(upsSeen.size).toBe(counts.bystanderUps);
    expect(pops.length).toBe(counts.bystanderUps);
  }, 300_000);
});
