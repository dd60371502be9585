import { randomBytes } from 'node:crypto';
import { WebhookDefaults, parseOrThrow, webhookDefinition, type WebhookInfo } from '@shuttle-cti/protocol';
import type { Store, WebhookRecord } from '@shuttle-cti/store';
import { postJson, type PostResult } from './post.js';
import { deliveryHeaders } from './sign.js';

/**
 * Registers a webhook (CLI `webhook add`, `POST /api/v1/webhooks`): validates the
 * definition (INVALID_PAYLOAD naming the field), makes a secret when none is given, and
 * starts delivery after the newest stored event. The secret is returned to be shown once.
 */
export async function addWebhook(store: Store, input: unknown): Promise<{ record: WebhookRecord; secret: string }> {
  const { secret: given, ...definition } = parseOrThrow(webhookDefinition, input, 'webhook');
  const secret = given ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const { last } = await store.seqRange();
  const record = await store.createWebhook({ id: `wh_${randomBytes(5).toString('hex')}`, definition, secret, cursor: last });
  return { record, secret };
}

/** A webhook as listed: state, lag behind `lastSeq`, counts, last outcome; never the secret. */
export function webhookInfoOf(w: WebhookRecord, lastSeq: number): WebhookInfo {
  const d = w.definition;
  return {
    id: w.id,
    url: d.url,
    ...(d.name === undefined ? {} : { name: d.name }),
    events: d.events,
    ...(d.queues === undefined ? {} : { queues: d.queues }),
    enrich: d.enrich === true,
    enrichTimeoutMs: d.enrichTimeoutMs ?? WebhookDefaults.enrichTimeoutMs,
    maxAgeMs: d.maxAgeMs ?? WebhookDefaults.maxAgeMs,
    state: w.state,
    cursor: w.cursor,
    lag: Math.max(0, lastSeq - w.cursor),
    delivered: w.delivered,
    failed: w.failed,
    dropped: w.dropped,
    lastStatus: w.lastStatus,
    lastError: w.lastError,
    lastAt: w.lastAt,
    createdAt: w.createdAt,
  };
}

/**
 * Sends one signed `test` event to a webhook (`webhook test`), outside its delivery order
 * and counts: `X-Shuttle-Event: test`, `X-Shuttle-Seq: 0`.
 */
export async function testWebhook(w: WebhookRecord, timeoutMs: number = WebhookDefaults.timeoutMs): Promise<PostResult> {
  const body = JSON.stringify({ event: 'test', webhook: w.id, time: new Date().toISOString() });
  return postJson(w.definition.url, body, deliveryHeaders({ webhook: w.id, secret: w.secret, event: 'test', seq: 0, body }), timeoutMs);
}
