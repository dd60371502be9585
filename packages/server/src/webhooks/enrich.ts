import { WebhookDefaults, variablesSchema, webhookAnswer, type CallEventInput, type Variables } from '@shuttle-cti/protocol';
import type { WebhookRecord } from '@shuttle-cti/store';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { wants } from './filter.js';
import type { WebhookMetrics } from './metrics.js';
import { postJson } from './post.js';
import { deliveryHeaders } from './sign.js';

/** Caller look-up before a `ringing` is published (webhooks with `enrich`). */
export interface Enricher {
  /**
   * The variables the enriching webhooks answer for this event, merged in list order (`{}`
   * on timeout or error); `undefined`, at once, when no enabled webhook enriches it, so
   * that other events never wait.
   */
  lookup(event: CallEventInput): Promise<Variables> | undefined;
}

interface Cached {
  expires: number;
  answer: Promise<Variables | undefined>;
}

/** Most numbers remembered across every webhook; the oldest are forgotten beyond it. */
const cacheEntries = 10_000;

/**
 * Look-ups are cached per webhook and calling number for `enrichCacheMs`, a request in
 * flight included: the ten `ringing` events of a ringall to ten agents make one request.
 * A failed look-up is not kept.
 */
export function createEnricher(deps: { config: HubConfig; logger: Logger; metrics: WebhookMetrics; webhooks: () => readonly WebhookRecord[] }): Enricher {
  const { config, logger, metrics } = deps;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, number>();

  const enriching = (event: CallEventInput): WebhookRecord[] =>
    event.event !== 'ringing' ? [] : deps.webhooks().filter((w) => w.state === 'enabled' && w.definition.enrich === true && wants(w.definition, event));

  async function request(w: WebhookRecord, event: CallEventInput): Promise<Variables | undefined> {
    const timeout = w.definition.enrichTimeoutMs ?? WebhookDefaults.enrichTimeoutMs;
    const body = JSON.stringify(event);
    inFlight.set(w.id, (inFlight.get(w.id) ?? 0) + 1);
    try {
      const result = await postJson(w.definition.url, body, deliveryHeaders({ webhook: w.id, secret: w.secret, event: event.event, body }), timeout);
      if (!result.ok || result.status < 200 || result.status >= 300) {
        const why = result.ok ? `HTTP ${result.status}` : result.error;
        metrics.enrichments.inc({ webhook: w.id, result: result.ok || !why.startsWith('no answer') ? 'error' : 'timeout' });
        logger.info({ webhook: w.id, uniqueid: event.uniqueid, error: why }, 'enrichment failed: the ringing goes out without it');
        return undefined;
      }
      const variables = parseVariables(result.body);
      if (variables === undefined) {
        metrics.enrichments.inc({ webhook: w.id, result: 'error' });
        logger.info({ webhook: w.id, uniqueid: event.uniqueid }, 'enrichment answer has no valid variables object');
        return undefined;
      }
      metrics.enrichments.inc({ webhook: w.id, result: 'ok' });
      return variables;
    } finally {
      inFlight.set(w.id, (inFlight.get(w.id) ?? 1) - 1);
    }
  }

  function lookupOne(w: WebhookRecord, event: CallEventInput): Promise<Variables | undefined> {
    const key = `${w.id}\n${event.callernum}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) {
      metrics.enrichments.inc({ webhook: w.id, result: 'cached' });
      return hit.answer;
    }
    if ((inFlight.get(w.id) ?? 0) >= config.webhooks.enrichConcurrency) {
      metrics.enrichments.inc({ webhook: w.id, result: 'busy' });
      return Promise.resolve(undefined);
    }
    const answer = request(w, event);
    // No number (an anonymous caller): nothing to share an answer by.
    if (config.webhooks.enrichCacheMs > 0 && event.callernum !== '') {
      cache.delete(key);
      if (cache.size >= cacheEntries) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      const entry: Cached = { expires: Number.POSITIVE_INFINITY, answer };
      cache.set(key, entry);
      void answer.then((v) => {
        if (v === undefined) cache.delete(key);
        else entry.expires = Date.now() + config.webhooks.enrichCacheMs;
      });
    }
    return answer;
  }

  return {
    lookup(event) {
      const webhooks = enriching(event);
      if (webhooks.length === 0) return undefined;
      return Promise.all(webhooks.map((w) => lookupOne(w, event))).then((answers) => Object.assign({}, ...answers.filter((a) => a !== undefined)) as Variables);
    },
  };
}

/** The answer's `variables`, values as strings (numbers and booleans turned into text), or undefined. */
function parseVariables(body: string): Variables | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const answer = webhookAnswer.safeParse(json);
  if (!answer.success || answer.data.variables === undefined) return undefined;
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.data.variables)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') text[k] = String(v);
    else return undefined;
  }
  const checked = variablesSchema.safeParse(text);
  return checked.success ? checked.data : undefined;
}
