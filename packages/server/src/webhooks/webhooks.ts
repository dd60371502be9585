import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { WebhookRecord } from '@shuttle-cti/store';
import type { HubContext } from '../context.js';
import { createEnricher, type Enricher } from './enrich.js';
import { startWebhookLoop, type WebhookLoop } from './loop.js';
import { createWebhookMetrics } from './metrics.js';

export interface Webhooks {
  /** New events were published. */
  wake(): void;
  readonly enricher: Enricher;
  /** Ids of the webhooks this hub delivers now. */
  delivering(): string[];
  /** Stops every loop and gives the leases up. */
  close(): Promise<void>;
}

/**
 * Runs the webhooks. Every `refreshMs` the hub reads the list (the CLI and other hubs
 * change it) and takes or renews the lease of each enabled webhook: with several hubs
 * exactly one delivers each, and a dead hub's webhooks pass to another once its lease ran
 * out. The delivery loops themselves are in loop.ts.
 */
export function startWebhooks(ctx: HubContext): Webhooks {
  const { store, logger, config } = ctx;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const loops = new Map<string, WebhookLoop>();
  let list: WebhookRecord[] = [];
  let closed = false;
  let ticking: Promise<void> | undefined;

  const lags = (): Map<string, number> => {
    const last = ctx.lastSeq();
    return new Map([...loops.values()].map((l) => [l.id, Math.max(0, last - l.cursor())]));
  };
  const metrics = createWebhookMetrics(ctx.metrics, lags);
  const enricher = createEnricher({ config, logger, metrics, webhooks: () => list });

  async function tick(): Promise<void> {
    try {
      list = await store.listWebhooks();
    } catch (error) {
      logger.warn({ err: error }, 'webhooks: reading the list failed');
      return;
    }
    const enabled = new Set(list.filter((w) => w.state === 'enabled').map((w) => w.id));
    for (const [id, loop] of loops) if (!enabled.has(id)) void loop.stop();
    const now = Date.now();
    for (const w of list) {
      if (closed || w.state !== 'enabled') continue;
      let held: boolean;
      try {
        held = await store.leaseWebhook(w.id, owner, now + config.webhooks.leaseMs, now);
      } catch (error) {
        logger.warn({ err: error, webhook: w.id }, 'webhooks: lease not renewed');
        continue;
      }
      const running = loops.get(w.id);
      if (!held) {
        if (running) {
          logger.warn({ webhook: w.id }, 'webhook taken over by another hub');
          void running.stop();
        }
        continue;
      }
      if (running || closed) continue;
      // Read again after taking the lease: the cursor the previous holder stored last.
      const fresh = (await store.getWebhook(w.id).catch(() => undefined)) ?? w;
      const loop = startWebhookLoop({ ctx, metrics, record: fresh, owner });
      loops.set(w.id, loop);
      logger.info({ webhook: w.id, cursor: fresh.cursor }, 'webhook delivery started');
      void loop.done.then(() => {
        if (loops.get(w.id) === loop) loops.delete(w.id);
      });
    }
  }

  const run = (): void => {
    ticking ??= tick().finally(() => {
      ticking = undefined;
    });
  };
  run();
  const timer = setInterval(run, config.webhooks.refreshMs);
  timer.unref();

  return {
    enricher,
    wake() {
      for (const loop of loops.values()) loop.wake();
    },
    delivering: () => [...loops.keys()],
    async close() {
      closed = true;
      clearInterval(timer);
      await ticking;
      const stopping = [...loops.values()];
      await Promise.all(stopping.map((l) => l.stop()));
      await Promise.all(stopping.map((l) => store.releaseWebhook(l.id, owner).catch(() => undefined)));
    },
  };
}
