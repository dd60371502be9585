import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../metrics.js';

/** The webhook metrics, on the hub's registry; `lags` is read at each scrape. */
export function createWebhookMetrics(metrics: Metrics, lags: () => ReadonlyMap<string, number>) {
  const registers = [metrics.registry];
  return {
    deliveries: new Counter({
      name: 'shuttle_cti_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by webhook and result (delivered, failed, dropped, gone)',
      labelNames: ['webhook', 'result'] as const,
      registers,
    }),
    lag: new Gauge({
      name: 'shuttle_cti_webhook_lag',
      help: 'Stored events after a webhook’s cursor (newest seq minus the cursor), for the webhooks this hub delivers',
      labelNames: ['webhook'] as const,
      registers,
      collect() {
        this.reset();
        for (const [webhook, lag] of lags()) this.set({ webhook }, lag);
      },
    }),
    commands: new Counter({
      name: 'shuttle_cti_webhook_commands_total',
      help: 'Commands found in webhook answers, by webhook and result (ok or the error code)',
      labelNames: ['webhook', 'result'] as const,
      registers,
    }),
    worker: new Gauge({
      name: 'shuttle_cti_webhook_worker',
      help: '1 while webhooks are delivered from a worker thread, 0 from the main thread (webhooks.worker off, or the worker failed) or before the first webhook',
      registers,
    }),
    enrichments: new Counter({
      name: 'shuttle_cti_webhook_enrichments_total',
      help: 'Enrichment look-ups of ringing events, by webhook and result (ok, cached, timeout, error, busy)',
      labelNames: ['webhook', 'result'] as const,
      registers,
    }),
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
