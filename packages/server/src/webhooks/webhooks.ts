import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WebhookRecord } from '@shuttle-cti/store';
import type { HubConfig } from '../config.js';
import { runWebhookCommands, type WebhookCommandDeps } from './commands.js';
import { createEnricher, type Enricher } from './enrich.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { startDeliveryRunner, type DeliveryRunner } from './runner.js';
import type { FromWorker, ToWorker, WorkerData, WriteCall } from './worker-messages.js';

export interface Webhooks {
  /** New events were published. */
  wake(): void;
  readonly enricher: Enricher;
  /** Ids of the webhooks this hub delivers now. */
  delivering(): string[];
  /** Stops every loop and gives the leases up. */
  close(): Promise<void>;
}

/** How the delivery runs: here, or in a worker thread that reports back. */
interface Delivery {
  wake(): void;
  cursors(): ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export interface WebhooksDeps extends WebhookCommandDeps {
  /** Whole: the worker thread is handed it to open its own store. */
  config: HubConfig;
  /** Newest seq published by this hub (how far behind each webhook is). */
  lastSeq(): number;
}

/**
 * The hub's webhooks: delivery (in a worker thread unless `webhooks.worker` is off or the
 * hub was handed a store it cannot reopen), enrichment of `ringing` on the ingest path,
 * the commands of answers, and the metrics.
 */
export function startWebhooks(ctx: WebhooksDeps, options: { worker: boolean }): Webhooks {
  const { store, logger, config } = ctx;
  let cursors: () => ReadonlyMap<string, number> = () => new Map();
  const metrics = createWebhookMetrics(ctx.metrics, () => {
    const last = ctx.lastSeq();
    return new Map([...cursors()].map(([id, cursor]) => [id, Math.max(0, last - cursor)]));
  });
  let list: WebhookRecord[] = [];
  const enricher = createEnricher({ config, logger, metrics, webhooks: () => list });
  // The enrichment's own copy of the list (with secrets), read as often as the runner reads it.
  // It also starts the delivery once there is a webhook: a hub with none runs no thread nor loop.
  const refresh = (): void => {
    store.listWebhooks().then(
      (l) => {
        list = l;
        if (l.length > 0) begin();
      },
      (error: unknown) => logger.warn({ err: error }, 'webhooks: reading the list failed'),
    );
  };

  const deps = {
    count: (webhook: string, result: 'delivered' | 'failed' | 'dropped' | 'gone') => metrics.deliveries.inc({ webhook, result }),
    onCommands: (webhook: string, commands: Record<string, unknown>[]) => runWebhookCommands(ctx, metrics, webhook, commands),
  };
  const inProcess = (): Delivery => {
    const runner: DeliveryRunner = startDeliveryRunner({ store, logger, config, ...deps });
    return { wake: () => runner.wake(), cursors: () => runner.cursors(), close: () => runner.close() };
  };
  const useWorker = options.worker && config.webhooks.worker;
  const idle: Delivery = { wake: () => undefined, cursors: () => new Map(), close: () => Promise.resolve() };
  let delivery = idle;
  let closed = false;
  function begin(): void {
    if (delivery !== idle || closed) return;
    delivery = useWorker ? inWorker(ctx, metrics, deps, () => (delivery = inProcess())) : inProcess();
    metrics.worker.set(useWorker ? 1 : 0);
  }
  cursors = () => delivery.cursors();
  metrics.worker.set(0);
  refresh();
  const timer = setInterval(refresh, config.webhooks.refreshMs);
  timer.unref();

  return {
    enricher,
    wake: () => delivery.wake(),
    delivering: () => [...delivery.cursors().keys()],
    async close() {
      clearInterval(timer);
      closed = true;
      await delivery.close();
    },
  };
}

/** A store write the worker asks for. */
async function write(ctx: Pick<WebhooksDeps, 'store'>, call: WriteCall, count: (webhook: string, result: 'delivered' | 'failed' | 'dropped' | 'gone', n: number) => void): Promise<boolean> {
  switch (call.method) {
    case 'recordWebhook': {
      const [webhook, progress] = call.args;
      for (const result of ['delivered', 'failed', 'dropped'] as const) {
        const n = progress[result];
        if (n !== undefined && n > 0) count(webhook, result, n);
      }
      if (progress.state === 'disabled') count(webhook, 'gone', 1);
      return ctx.store.recordWebhook(...call.args);
    }
    case 'leaseWebhook':
      return ctx.store.leaseWebhook(...call.args);
    case 'releaseWebhook':
      await ctx.store.releaseWebhook(...call.args);
      return true;
  }
}

/** The worker, from the compiled file, or (source mode: tests, tsx) through tsx's loader. */
function spawnWorker(data: WorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./delivery-worker.js', here), { workerData: data });
  const target = new URL('./delivery-worker.ts', here).href;
  // tsx's ESM entry (its `import` export); require.resolve would give the CommonJS one.
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData: data, execArgv: ['--conditions=source'] });
}

function inWorker(
  ctx: Pick<WebhooksDeps, 'config' | 'logger' | 'store'>,
  metrics: WebhookMetrics,
  deps: { count(webhook: string, result: 'delivered' | 'failed' | 'dropped' | 'gone'): void; onCommands(webhook: string, commands: Record<string, unknown>[]): Promise<void> },
  fallBack: () => Delivery,
): Delivery {
  const { logger } = ctx;
  const worker = spawnWorker({ config: ctx.config });
  let cursors = new Map<string, number>();
  let closing: Promise<void> | undefined;
  let closed: () => void = () => undefined;
  let replaced: Delivery | undefined;
  const post = (message: ToWorker): void => worker.postMessage(message);
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'count':
        deps.count(message.webhook, message.result);
        return;
      case 'commands':
        void deps.onCommands(message.webhook, message.commands);
        return;
      case 'cursors':
        cursors = new Map(message.cursors);
        return;
      case 'closed':
        closed();
        return;
      case 'write':
        void write(ctx, message.call, (webhook, result, n) => metrics.deliveries.inc({ webhook, result }, n)).then(
          (ok) => post({ type: 'written', id: message.id, ok }),
          (error: unknown) => post({ type: 'written', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
    }
  });
  worker.on('error', (error) => {
    // The worker died (it cannot load, or threw): deliver from the main thread instead.
    logger.error({ err: error }, 'webhook worker failed; delivering from the main thread');
    cursors = new Map();
    metrics.worker.set(0);
    if (!closing) replaced = fallBack();
  });
  return {
    wake: () => (replaced ? replaced.wake() : post({ type: 'wake' })),
    cursors: () => (replaced ? replaced.cursors() : cursors),
    async close() {
      if (replaced) return replaced.close();
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        closed = () => {
          clearTimeout(timer);
          resolve();
        };
        post({ type: 'close' });
      }).then(async () => {
        await worker.terminate();
      });
      await closing;
    },
  };
}
