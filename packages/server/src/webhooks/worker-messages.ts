import type { HubConfig } from '../config.js';

/** What the hub hands the delivery worker at start. */
export interface WorkerData {
  config: HubConfig;
  /** Source mode (tests, `--conditions=source`): the file to load after registering the TS loader. */
  target?: string;
}

export type ToWorker = { type: 'wake' } | { type: 'close' };

export type FromWorker =
  | { type: 'count'; webhook: string; result: 'delivered' | 'failed' | 'dropped' | 'gone' }
  | { type: 'commands'; webhook: string; commands: Record<string, unknown>[] }
  | { type: 'cursors'; cursors: [string, number][] }
  | { type: 'closed' };
