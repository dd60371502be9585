import { parentPort, workerData } from 'node:worker_threads';
import { createStore } from '@shuttle-cti/store';
import { createLogger } from '../logger.js';
import { startDeliveryRunner } from './runner.js';
import type { FromWorker, ToWorker, WorkerData } from './worker-messages.js';

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
const store = createStore({ dataDir: config.dataDir, backgroundCheckpoints: false, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
const runner = startDeliveryRunner({
  store,
  logger: createLogger(config.logLevel),
  config,
  count: (webhook, result) => send({ type: 'count', webhook, result }),
  onCommands: async (webhook, commands) => send({ type: 'commands', webhook, commands }),
});
const report = setInterval(() => send({ type: 'cursors', cursors: [...runner.cursors()] }), Math.min(1000, config.webhooks.refreshMs));
report.unref();

port.on('message', (message: ToWorker) => {
  if (message.type === 'wake') runner.wake();
  else if (message.type === 'close') {
    clearInterval(report);
    void runner
      .close()
      .then(() => store.close())
      .finally(() => {
        send({ type: 'cursors', cursors: [] });
        send({ type: 'closed' });
      });
  }
});
