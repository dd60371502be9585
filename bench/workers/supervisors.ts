import { io, type Socket } from 'socket.io-client';
import type { SupervisorsReport, SupervisorsSetup } from './messages.js';

const callEvents = new Set(['ringing', 'up', 'hangup', 'abandon', 'outbound', 'ringend']);

/**
 * Many scoped supervisors in one process (`--scoped-supervisors`): each connects to
 * `/supervisor` with a token limited to one queue and a few peers, and counts the call
 * events of each step it gets. They are not part of the "lost" accounting (each sees only
 * its scope); the report says how many events they got and whether any was outside.
 * `--unscoped-supervisors` uses the same process with plain tokens (queue '': everything).
 */
export async function createSupervisors(setup: SupervisorsSetup): Promise<{ report(step: number): SupervisorsReport }> {
  const steps = new Map<number, { events: number; outside: number }>();
  let disconnects = 0;
  const sockets: Socket[] = [];
  await Promise.all(
    setup.supervisors.map(
      ({ token, queue, peers }) =>
        new Promise<void>((resolve, reject) => {
          const socket = io(`${setup.url}/supervisor`, { auth: { token }, transports: ['websocket'], forceNew: true });
          sockets.push(socket);
          const mine = new Set(peers);
          socket.on('disconnect', () => disconnects++);
          socket.onAny((name: string, event: Record<string, unknown>) => {
            if (!callEvents.has(name) || typeof event['bench_step'] !== 'number') return;
            let c = steps.get(event['bench_step']);
            if (!c) steps.set(event['bench_step'], (c = { events: 0, outside: 0 }));
            c.events++;
            if (queue !== '' && event['queue'] !== queue && !mine.has(String(event['peer']))) c.outside++;
          });
          socket.once('snapshot', () => resolve());
          socket.once('connect_error', (error) => reject(error));
        }),
    ),
  );
  return {
    report(step) {
      const c = steps.get(step) ?? { events: 0, outside: 0 };
      return { type: 'report', step, events: c.events, outside: c.outside, connected: sockets.filter((s) => s.connected).length, disconnects };
    },
  };
}
