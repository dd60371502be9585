import { WebhookDefaults, webhookAnswer, type StreamEvent } from '@shuttle-cti/protocol';
import type { Store, WebhookProgress, WebhookRecord } from '@shuttle-cti/store';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { wants } from './filter.js';
import { postJson, type PostResult } from './post.js';
import { retryDelay, wait } from './retry.js';
import { deliveryHeaders } from './sign.js';

/** One webhook's delivery, run by the hub holding its lease. */
export interface WebhookLoop {
  readonly id: string;
  /** Seq of the newest event delivered (or passed over) by this loop. */
  cursor(): number;
  /** New events are stored: look now rather than at the next poll. */
  wake(): void;
  /** Stops (an in-flight request is cut off; its event is delivered again later) and resolves once stopped. */
  stop(): Promise<void>;
  /** Resolves when the loop ended: stopped, lease lost, webhook removed or disabled (410). */
  readonly done: Promise<void>;
}

/** What delivery needs; it runs in the hub's main thread or in a worker thread (delivery-worker.ts). */
export interface DeliveryDeps {
  store: Store;
  logger: Logger;
  config: HubConfig;
  /** Counts a delivery attempt's result (`shuttle_cti_webhook_deliveries_total`). */
  count: (webhook: string, result: 'delivered' | 'failed' | 'dropped' | 'gone') => void;
  /** The commands of a 2xx answer, to be carried out by the hub (they need its sessions). */
  onCommands: (webhook: string, commands: Record<string, unknown>[]) => Promise<void>;
}

const pageSize = 200;

type Outcome = 'next' | 'stop';

/**
 * Delivers a webhook's events in seq order, each until a 2xx (or dropped after maxAge),
 * one request at a time: order needs it, and a slow or dead endpoint then holds back only
 * its own loop. The cursor is stored after every 2xx, so a hub killed mid-delivery repeats
 * at most the event in flight.
 */
export function startWebhookLoop(deps: DeliveryDeps & { record: WebhookRecord; owner: string }): WebhookLoop {
  const { record, owner, store, logger, config, count, onCommands } = deps;
  const { id, definition, secret } = record;
  const maxAgeMs = definition.maxAgeMs ?? WebhookDefaults.maxAgeMs;
  const abort = new AbortController();
  const signal = abort.signal;
  let cursor = record.cursor;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  // Commands of successive answers run in order, beside the deliveries (a CallDial may take 30 s).
  let commands: Promise<void> = Promise.resolve();

  const wake = (): void => {
    woken = true;
    wakeUp?.();
  };

  function sleep(ms: number): Promise<void> {
    if (woken || signal.aborted) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wakeUp = undefined;
        woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      wakeUp = done;
    });
  }

  /** Stores progress; false when this hub no longer holds the webhook (or it was removed). */
  async function save(progress: WebhookProgress): Promise<boolean> {
    try {
      return await store.recordWebhook(id, progress, owner);
    } catch (error) {
      // The store is down: keep going; the next write (the cursor only moves forward) catches up.
      logger.warn({ err: error, webhook: id }, 'webhook progress not stored (store unavailable)');
      return true;
    }
  }

  function describeFailure(result: PostResult): { status: number | null; error: string } {
    if (!result.ok) return { status: null, error: result.error };
    const snippet = result.body.replace(/\s+/g, ' ').slice(0, 200);
    return { status: result.status, error: `HTTP ${result.status}${snippet === '' ? '' : `: ${snippet}`}` };
  }

  function answerCommands(body: string): Record<string, unknown>[] {
    if (body.trim() === '') return [];
    try {
      const parsed = webhookAnswer.safeParse(JSON.parse(body));
      return parsed.success ? (parsed.data.commands ?? []) : [];
    } catch {
      return [];
    }
  }

  async function deliver(event: StreamEvent): Promise<Outcome> {
    const body = JSON.stringify(event);
    for (let attempt = 1; ; attempt++) {
      const headers = deliveryHeaders({ webhook: id, secret, event: event.event, seq: event.seq, body });
      const result = await postJson(definition.url, body, headers, config.webhooks.timeoutMs, signal);
      if (signal.aborted) return 'stop';
      const at = new Date().toISOString();
      if (result.ok && result.status >= 200 && result.status < 300) {
        count(id, 'delivered');
        const kept = await save({ cursor: event.seq, delivered: 1, lastStatus: result.status, lastError: null, lastAt: at });
        cursor = event.seq;
        const list = answerCommands(result.body);
        if (list.length > 0) commands = commands.then(() => onCommands(id, list)).catch(() => undefined);
        return kept ? 'next' : 'stop';
      }
      const { status, error } = describeFailure(result);
      if (status === 410) {
        count(id, 'gone');
        logger.warn({ webhook: id, seq: event.seq }, 'webhook disabled: the endpoint answered 410 Gone');
        await save({ state: 'disabled', lastStatus: 410, lastError: '410 Gone: disabled', lastAt: at });
        return 'stop';
      }
      count(id, 'failed');
      const delay = retryDelay(attempt, config.webhooks.retryBaseMs, config.webhooks.retryMaxMs);
      const age = Date.now() - Date.parse(event.time);
      if (age + delay > maxAgeMs) {
        count(id, 'dropped');
        logger.warn({ webhook: id, seq: event.seq, attempts: attempt, error }, 'webhook event dropped: still failing at its maxAge');
        const kept = await save({ cursor: event.seq, failed: 1, dropped: 1, lastStatus: status, lastError: `${error} (seq ${event.seq} dropped after ${attempt} attempts)`, lastAt: at });
        cursor = event.seq;
        return kept ? 'next' : 'stop';
      }
      logger.info({ webhook: id, seq: event.seq, attempt, retryInMs: delay, error }, 'webhook delivery failed; retrying');
      if (!(await save({ failed: 1, lastStatus: status, lastError: error, lastAt: at }))) return 'stop';
      await wait(delay, signal);
      if (signal.aborted) return 'stop';
    }
  }

  async function run(): Promise<void> {
    // Cursor moved by events the filters passed over, not stored yet (only a delivery or an idle loop stores it).
    let unsaved = false;
    while (!signal.aborted) {
      let events: StreamEvent[];
      try {
        events = await store.eventsAfter(cursor, pageSize);
      } catch (error) {
        logger.warn({ err: error, webhook: id }, 'webhook: reading events failed; retrying');
        await sleep(config.webhooks.pollMs);
        continue;
      }
      if (events.length === 0) {
        if (unsaved) {
          if (!(await save({ cursor }))) return;
          unsaved = false;
        }
        await sleep(config.webhooks.pollMs);
        continue;
      }
      for (const event of events) {
        if (signal.aborted) return;
        if (!wants(definition, event)) {
          cursor = event.seq;
          unsaved = true;
          continue;
        }
        if ((await deliver(event)) === 'stop') return;
        unsaved = false;
      }
    }
  }

  const done = (async () => {
    for (;;) {
      try {
        await run();
        return;
      } catch (error) {
        // Nothing above should throw; if something does, the loop goes on rather than dying.
        logger.error({ err: error, webhook: id }, 'webhook loop failed; restarting it');
        await wait(config.webhooks.pollMs, signal);
        if (signal.aborted) return;
      }
    }
  })();

  return {
    id,
    cursor: () => cursor,
    wake,
    done,
    async stop() {
      abort.abort();
      await done;
      await commands;
    },
  };
}
