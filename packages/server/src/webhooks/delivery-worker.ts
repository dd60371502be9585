import { parentPort, workerData } from 'node:worker_threads';
import { createStore, type Store } from '@shuttle-cti/store';
import { createLogger } from '../logger.js';
import { startDeliveryRunner } from './runner.js';
import type { FromWorker, ToWorker, WorkerData, WriteCall } from './worker-messages.js';

/**
 * The webhook delivery loops in a thread of their own (webhooks.worker, default on): their
 * HTTP requests, signatures and cursor writes then never wait in the event loop that
 * publishes events and pops, and an endpoint's slowness cannot reach it. The worker opens
 * its own connection to the same store; commands of answers and the counts go back to
 * the hub as messages.
 */
const port = parentPort;
if (!port) throw new Error('delivery-worker.ts runs as a worker thread');
const { config } = workerData as WorkerData;
const send = (message: FromWorker): void => port.postMessage(message);
const own = createStore({ dataDir: config.dataDir, backgroundCheckpoints: false, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
// Reads here, writes by the hub's thread: two SQLite connections writing at once make one
// wait for the other's lock, and the hub's waits (better-sqlite3 is synchronous) would
// stall its event loop. Leases and cursors are a few small writes the hub does in microseconds.
const pending = new Map<number, { resolve: (ok: boolean) => void; reject: (error: Error) => void }>();
let nextId = 0;
function write(call: WriteCall): Promise<boolean> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'write', id, call });
  });
}
const store: Store = Object.assign(Object.create(own) as Store, {
  recordWebhook: (...args: Parameters<Store['recordWebhook']>) => write({ method: 'recordWebhook', args }),
  leaseWebhook: (...args: Parameters<Store['leaseWebhook']>) => write({ method: 'leaseWebhook', args }),
  releaseWebhook: async (...args: Parameters<Store['releaseWebhook']>) => {
    await write({ method: 'releaseWebhook', args });
  },
});
const runner = startDeliveryRunner({
  store,
  logger: createLogger(config.logLevel),
  config,
  // Counted by the hub from the writes (one message per delivery rather than two).
  count: () => undefined,
  onCommands: async (webhook, commands) => send({ type: 'commands', webhook, commands }),
});
const report = setInterval(() => send({ type: 'cursors', cursors: [...runner.cursors()] }), Math.min(1000, config.webhooks.refreshMs));
report.unref();

port.on('message', (message: ToWorker) => {
  if (message.type === 'written') {
    const p = pending.get(message.id);
    pending.delete(message.id);
    if (message.error === undefined) p?.resolve(message.ok);
    else p?.reject(new Error(message.error));
  } else if (message.type === 'wake') runner.wake();
  else if (message.type === 'close') {
    clearInterval(report);
    void runner
      .close()
      .then(() => own.close())
      .finally(() => {
        send({ type: 'cursors', cursors: [] });
        send({ type: 'closed' });
      });
  }
});
