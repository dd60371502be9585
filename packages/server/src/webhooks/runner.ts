import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { startWebhookLoop, type DeliveryDeps, type WebhookLoop } from './loop.js';

export interface DeliveryRunner {
  /** New events were stored and published. */
  wake(): void;
  /** The webhooks this hub delivers now, with their cursors. */
  cursors(): Map<string, number>;
  /** Stops every loop and gives the leases up. */
  close(): Promise<void>;
}

/**
 * Runs the delivery loops. Every `refreshMs` it reads the list (the CLI and other hubs
 * change it) and takes or renews the lease of each enabled webhook: with several hubs
 * exactly one delivers each, and a dead hub's webhooks pass to another once its lease ran
 * out. It is handed its store, logger, config and two callbacks, nothing else of the hub:
 * this runs in the main thread or in a worker thread.
 */
export function startDeliveryRunner(deps: DeliveryDeps): DeliveryRunner {
  const { store, logger, config } = deps;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const loops = new Map<string, WebhookLoop>();
  let closed = false;
  let ticking: Promise<void> | undefined;

  async function tick(): Promise<void> {
    let list;
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
      const loop = startWebhookLoop({ ...deps, record: fresh, owner });
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
    wake() {
      for (const loop of loops.values()) loop.wake();
    },
    cursors: () => new Map([...loops.values()].map((l) => [l.id, l.cursor()])),
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
