import { io } from 'socket.io-client';
import { clock, summarise } from '../stats.js';
import type { ListenerReport, ListenerSetup } from './messages.js';

const callEvents = new Set(['ringing', 'up', 'hangup', 'abandon', 'outbound', 'ringend']);

interface StepCounts {
  seqs: Set<number>;
  duplicates: number;
  latencies: number[];
  wakeupsSent: number;
  wakeupsOk: number;
  wakeupsFailed: number;
}

/**
 * An integration (answers every `up` with wakeup(url, call.peer, 'new_frame'), as the
 * issue's reference handler does) or a supervisor (only listens). Counts every call event
 * by the step that posted it, so the orchestrator can tell lost from late.
 */
export async function createListener(setup: ListenerSetup): Promise<{ report(step: number): ListenerReport }> {
  const steps = new Map<number, StepCounts>();
  const counts = (step: number): StepCounts => {
    let c = steps.get(step);
    if (!c) steps.set(step, (c = { seqs: new Set(), duplicates: 0, latencies: [], wakeupsSent: 0, wakeupsOk: 0, wakeupsFailed: 0 }));
    return c;
  };
  let disconnects = 0;
  const socket = io(setup.url + (setup.namespace === '/' ? '' : setup.namespace), {
    auth: { token: setup.token },
    transports: ['websocket'],
    forceNew: true,
  });
  socket.on('disconnect', () => disconnects++);

  socket.onAny((name: string, event: Record<string, unknown>) => {
    if (!callEvents.has(name) || typeof event['bench_step'] !== 'number') return;
    const now = clock();
    const c = counts(event['bench_step']);
    const seq = Number(event['seq']);
    if (c.seqs.has(seq)) {
      c.duplicates++;
      return;
    }
    c.seqs.add(seq);
    c.latencies.push(now - Number(event['bench_t']));
    if (!setup.answerUps || name !== 'up') return;
    const url = `https://crm.example.test/pop?call=${encodeURIComponent(String(event['uniqueid']))}&i=${setup.index}&s=${event['bench_step']}&t=${String(event['bench_t'])}`;
    c.wakeupsSent++;
    socket.timeout(30_000).emit('AgentCTI', { url, peer: event['peer'], mode: 'new_frame' }, (error: Error | null, ack?: { ok?: boolean }) => {
      if (!error && ack?.ok) c.wakeupsOk++;
      else c.wakeupsFailed++;
    });
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

  return {
    report(step) {
      const c = counts(step);
      return {
        type: 'report',
        step,
        events: c.seqs.size,
        duplicates: c.duplicates,
        latency: summarise([...c.latencies]),
        wakeupsSent: c.wakeupsSent,
        wakeupsOk: c.wakeupsOk,
        wakeupsFailed: c.wakeupsFailed,
        disconnects,
      };
    },
  };
}
