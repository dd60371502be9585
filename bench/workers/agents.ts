import { io, type Socket } from 'socket.io-client';
import { clock, summarise } from '../stats.js';
import type { AgentsReport, AgentsSetup } from './messages.js';

const callEvents = ['ringing', 'up', 'hangup', 'ringend', 'outbound'] as const;

interface StepCounts {
  pops: Set<string>;
  duplicates: number;
  latencies: number[];
  events: Set<number>;
}

/**
 * Agent panels: one socket.io connection per agent on `/agent` (websocket transport),
 * each acknowledging its screen pops as the agent page does. The pop URL carries the
 * step, the call, the integration and the time the source sent the `up` event.
 */
export async function createAgents(setup: AgentsSetup): Promise<{ report(step: number, final?: boolean): AgentsReport; ready: { connected: number; failed: number; ms: number } }> {
  const steps = new Map<number, StepCounts>();
  const counts = (step: number): StepCounts => {
    let c = steps.get(step);
    if (!c) steps.set(step, (c = { pops: new Set(), duplicates: 0, latencies: [], events: new Set() }));
    return c;
  };
  const sockets: Socket[] = [];
  let disconnects = 0;

  function connect(auth: { token: string; peer: string }): Promise<boolean> {
    const socket = io(`${setup.url}/agent`, { auth, transports: ['websocket'], forceNew: true });
    sockets.push(socket);
    socket.on('disconnect', () => disconnects++);
    socket.on('AgentCTI', (pop: { id: string; url: string }) => {
      const now = clock();
      socket.emit('ack', { id: pop.id });
      const query = new URL(pop.url).searchParams;
      const c = counts(Number(query.get('s')));
      const key = `${query.get('call')}:${query.get('i')}`;
      if (c.pops.has(key)) {
        c.duplicates++;
        return;
      }
      c.pops.add(key);
      c.latencies.push(now - Number(query.get('t')));
    });
    for (const name of callEvents) {
      socket.on(name, (event: Record<string, unknown>) => {
        if (typeof event['bench_step'] === 'number') counts(event['bench_step']).events.add(Number(event['seq']));
      });
    }
    return new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
    });
  }

  const started = performance.now();
  let failed = 0;
  let nextIndex = 0;
  const lanes = Array.from({ length: Math.max(1, setup.connectConcurrency) }, async () => {
    while (nextIndex < setup.agents.length) {
      const agent = setup.agents[nextIndex++] as { token: string; peer: string };
      if (!(await connect(agent))) failed++;
    }
  });
  await Promise.all(lanes);

  return {
    ready: { connected: sockets.filter((s) => s.connected).length, failed, ms: Math.round(performance.now() - started) },
    report(step, final = false) {
      const c = counts(step);
      return {
        type: 'report',
        step,
        pops: c.pops.size,
        duplicates: c.duplicates,
        latency: summarise([...c.latencies]),
        ...(setup.rawLatencies && final ? { latencies: [...c.latencies] } : {}),
        events: c.events.size,
        connected: sockets.filter((s) => s.connected).length,
        disconnects,
      };
    },
  };
}
