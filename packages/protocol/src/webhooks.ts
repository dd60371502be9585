import { z } from 'zod';
import { httpUrl } from './commands.js';
import { callEventNames } from './events.js';
import { Limits } from './limits.js';

/** The events a webhook may ask for: the call events and `agentstate` (protocol 1.2). */
export const webhookEventNames = [...callEventNames, 'agentstate'] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];

/** Defaults of PROTOCOL.md "Webhooks". */
export const WebhookDefaults = {
  /** How long the hub waits for an enrichment answer before publishing without it. */
  enrichTimeoutMs: 800,
  /** How long an event is retried before it is counted as dropped. */
  maxAgeMs: 24 * 3600_000,
  /** How long one delivery may take before it counts as failed. */
  timeoutMs: 10_000,
} as const;

export const WebhookLimits = {
  secretMinLength: 16,
  secretMaxLength: 256,
  queuesPerWebhook: 256,
  nameLength: 128,
  enrichTimeoutMaxMs: 10_000,
  maxAgeMaxMs: 30 * 24 * 3600_000,
} as const;

const queueName = z
  .string()
  .min(1, 'a queue name is required')
  .max(Limits.identifierLength)
  .refine((q) => !/[\r\n]/.test(q), 'no CR or LF');

/**
 * A webhook as the operator registers it (CLI or `POST /api/v1/webhooks`). `secret`
 * unset: the hub makes one and shows it once. `queues` unset: every queue.
 */
export const webhookDefinition = z.strictObject({
  url: httpUrl,
  events: z
    .array(z.enum(webhookEventNames, { error: `must be one of ${webhookEventNames.join(', ')}` }))
    .min(1, 'at least one event is required')
    .max(webhookEventNames.length * 2),
  queues: z.array(queueName).max(WebhookLimits.queuesPerWebhook).optional(),
  secret: z
    .string()
    .min(WebhookLimits.secretMinLength, `a secret has at least ${WebhookLimits.secretMinLength} characters`)
    .max(WebhookLimits.secretMaxLength)
    .optional(),
  name: z.string().min(1).max(WebhookLimits.nameLength).refine((n) => !/[\r\n]/.test(n), 'no CR or LF').optional(),
  /** Enrichment of `ringing`: the hub waits for the answer's `variables` before publishing. */
  enrich: z.boolean().optional(),
  enrichTimeoutMs: z.number().int().min(1).max(WebhookLimits.enrichTimeoutMaxMs).optional(),
  maxAgeMs: z.number().int().min(1000).max(WebhookLimits.maxAgeMaxMs).optional(),
}).superRefine((d, ctx) => {
  if (d.enrich === true && !d.events.includes('ringing')) {
    ctx.addIssue({ code: 'custom', path: ['enrich'], message: 'enrichment is for ringing: add ringing to events' });
  }
});
export type WebhookDefinition = z.infer<typeof webhookDefinition>;

export const webhookStates = ['enabled', 'disabled'] as const;
export type WebhookState = (typeof webhookStates)[number];

/** A webhook as `webhook list` and `GET /api/v1/webhooks` show it (never its secret). */
export const webhookInfo = z.object({
  id: z.string(),
  url: z.string(),
  name: z.string().optional(),
  events: z.array(z.enum(webhookEventNames)),
  queues: z.array(z.string()).optional(),
  enrich: z.boolean(),
  enrichTimeoutMs: z.number(),
  maxAgeMs: z.number(),
  state: z.enum(webhookStates),
  /** Seq of the newest event delivered (or skipped by the filters). */
  cursor: z.number(),
  /** Stored events after the cursor (of every name: the filters are applied on delivery). */
  lag: z.number(),
  delivered: z.number(),
  failed: z.number(),
  dropped: z.number(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  lastAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookInfo = z.infer<typeof webhookInfo>;

/** `GET /api/v1/webhooks`. */
export const webhookList = z.object({ webhooks: z.array(webhookInfo) });
export type WebhookList = z.infer<typeof webhookList>;

/** `POST /api/v1/webhooks` (201): the webhook, and its secret, shown this once. */
export const webhookCreated = z.object({ webhook: webhookInfo, secret: z.string() });
export type WebhookCreated = z.infer<typeof webhookCreated>;

/** `DELETE /api/v1/webhooks/{id}`. */
export const webhookRemoved = z.object({ ok: z.literal(true), id: z.string() });
export type WebhookRemoved = z.infer<typeof webhookRemoved>;

/** A webhook's 2xx answer: commands to carry out, and (enrichment) variables for the call. */
export const webhookAnswer = z.looseObject({
  commands: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
});
export type WebhookAnswer = z.infer<typeof webhookAnswer>;

/** The header names of a delivery. */
export const WebhookHeaders = {
  event: 'x-shuttle-event',
  seq: 'x-shuttle-seq',
  timestamp: 'x-shuttle-timestamp',
  signature: 'x-shuttle-signature',
  webhook: 'x-shuttle-webhook',
} as const;
