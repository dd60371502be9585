import type { WebhookStore } from '@shuttle-cti/store';
import type { HubConfig } from '../config.js';

/** What the hub hands the delivery worker at start. */
export interface WorkerData {
  config: HubConfig;
  /** Source mode (tests, `--conditions=source`): the file to load after registering the TS loader. */
  target?: string;
}

/** The store writes of delivery, carried out by the hub's thread (see delivery-worker.ts). */
export type WriteCall =
  | { method: 'recordWebhook'; args: Parameters<WebhookStore['recordWebhook']> }
  | { method: 'leaseWebhook'; args: Parameters<WebhookStore['leaseWebhook']> }
  | { method: 'releaseWebhook'; args: Parameters<WebhookStore['releaseWebhook']> };

export type ToWorker = { type: 'wake' } | { type: 'close' } | { type: 'written'; id: number; ok: boolean; error?: string };

export type FromWorker =
  | { type: 'count'; webhook: string; result: 'delivered' | 'failed' | 'dropped' | 'gone' }
  | { type: 'commands'; webhook: string; commands: Record<string, unknown>[] }
  | { type: 'cursors'; cursors: [string, number][] }
  | { type: 'write'; id: number; call: WriteCall }
  | { type: 'closed' };
