import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, startTestHub, until, type TestHub } from '../helpers.js';
import { countDeliveries, metricValue, printCounts } from './counts.js';

const agentCount = 500;

interface Agent {
  peer: string;
  socket: Socket;
  /** Ids of every pop received, in arrival order (repeats included). */
  pops: string[];
  connects: number;
}

/** An agent panel: reconnects by itself, acknowledges every pop it is shown. */
function agentPanel(url: string, peer: string, token: string): Agent {
  const socket = ioClient(`${url}/agent`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 1000,
    randomizationFactor: 0.5,
  });
  const agent: Agent = { peer, socket, pops: [], connects: 0 };
  socket.on('connect', () => agent.connects++);
  socket.on('AgentCTI', (pop: { id: string }) => {
    agent.pops.push(pop.id);
    socket.emit('ack', { id: pop.id });
  });
  return agent;
}

describe('fault: reconnect storm', () => {
  let t: TestHub | undefined;
  const agents: Agent[] = [];
  let integration: Socket | undefined;
  afterAll(async () => {
    for (const a of agents) a.socket.close();
    integration?.close();
    await t?.stop();
  });

  it(`${agentCount} agents drop at once and come back; pops sent during the storm arrive through the outbox`, async () => {
    t = await startTestHub({ config: { limits: { commandsPerSecond: 100_000 } } });
    const hub = t;
    integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    for (let i = 0; i < agentCount; i++) {
      const peer = `SIP/storm.${String(i).padStart(4, '0')}`;
      agents.push(agentPanel(hub.url, peer, await hub.agentToken(peer)));
    }
    const sessions = () => hub.hub.io.of('/agent').sockets.size;
    await until(() => sessions() === agentCount && agents.every((a) => a.socket.connected), 30_000, 'all agents connected');

    const sent = new Map<string, string[]>(agents.map((a) => [a.peer, []]));
    const wakeup = async (peer: string, n: string): Promise<void> => {
      const ack = (await integration?.timeout(10_000).emitWithAck('AgentCTI', { url: `https://crm.example.test/storm/${n}`, peer, mode: 'new_frame' })) as { ok: boolean; id: string };
      expect(ack.ok).toBe(true);
      sent.get(peer)?.push(ack.id);
    };

    await Promise.all(agents.map((a) => wakeup(a.peer, 'before')));
    await until(() => agents.every((a) => a.pops.length >= 1), 10_000, 'pops before the storm');
    // Their acks are stored before the storm, so none of them may come back.
    const unacked = async (): Promise<number> => {
      const now = new Date().toISOString();
      let n = 0;
      for (const a of agents) n += (await hub.hub.store.pendingFor(a.peer, now)).length;
      return n;
    };
    await until(async () => (await unacked()) === 0, 10_000, 'acks of the pops before the storm');

    // The storm: the hub's side of every agent connection breaks at once (as a network
    // blip or a load balancer restart would); the panels reconnect by themselves.
    const connectsBefore = agents.map((a) => a.connects);
    const stormStart = performance.now();
    for (const socket of hub.hub.io.of('/agent').sockets.values()) socket.conn.close();
    // Pops sent during the storm meet dead sessions or none: the outbox keeps them.
    await Promise.all(agents.flatMap((a) => [wakeup(a.peer, 'storm-1'), wakeup(a.peer, 'storm-2')]));

    await until(() => agents.every((a, i) => a.connects > (connectsBefore[i] ?? 0) && a.socket.connected) && sessions() === agentCount, 30_000, 'all agents back');
    const backMs = Math.round(performance.now() - stormStart);
    await until(() => agents.every((a) => new Set(a.pops).size >= (sent.get(a.peer)?.length ?? 0)), 30_000, 'every pop delivered');

    const totals = { sent: 0, received: 0, lost: 0, duplicated: 0, outOfOrder: 0, extra: 0 };
    for (const a of agents) {
      const c = countDeliveries(sent.get(a.peer) ?? [], a.pops);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += c[key];
    }
    const gauge = await metricValue(hub.url, 'shuttle_cti_sessions', { role: 'agent' });
    printCounts('reconnect storm', { agents: agentCount, backMs, ...totals, sessionsGauge: gauge });
    expect(totals).toMatchObject({ sent: agentCount * 3, received: agentCount * 3, lost: 0, duplicated: 0, extra: 0 });
    expect(gauge).toBe(agentCount);
  });
});
