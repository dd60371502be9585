import type { WebhookDefinition, WebhookState } from '@shuttle-cti/protocol';

/** A webhook's definition as stored: everything the operator gave but the secret. */
export type StoredWebhookDefinition = Omit<WebhookDefinition, 'secret'>;

export interface WebhookRecord {
  id: string;
  definition: StoredWebhookDefinition;
  /** Kept in clear: the hub signs every delivery with it. Never logged nor listed. */
  secret: string;
  state: WebhookState;
  /** Seq of the newest event delivered or passed over by the filters. */
  cursor: number;
  delivered: number;
  failed: number;
  dropped: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAt: string | null;
  /** The hub delivering this webhook now, and until when (ms since the epoch) unless it renews. */
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: string;
}

export interface NewWebhook {
  id: string;
  definition: StoredWebhookDefinition;
  secret: string;
  /** Where delivery starts: events with a greater seq are delivered. */
  cursor: number;
}

/** What a delivery changed: counts are added, the cursor only moves forward. */
export interface WebhookProgress {
  cursor?: number;
  state?: WebhookState;
  delivered?: number;
  failed?: number;
  dropped?: number;
  lastStatus?: number | null;
  lastError?: string | null;
  lastAt?: string;
}

/** Webhooks (protocol 1.2): definitions, delivery cursors and counts, and the lease of several hubs. */
export interface WebhookStore {
  createWebhook(webhook: NewWebhook): Promise<WebhookRecord>;
  /** Oldest first. */
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  /** False when there is no such webhook. */
  deleteWebhook(id: string): Promise<boolean>;
  /**
   * Records a delivery's outcome. With `owner`, only while that hub holds the lease: false
   * (and nothing changes) when another hub took the webhook over, or it was removed.
   */
  recordWebhook(id: string, progress: WebhookProgress, owner?: string): Promise<boolean>;
  /**
   * Takes or renews the lease of a webhook until `untilMs`: true when `owner` holds it now
   * (it had it, nobody had it, or the holder's lease ran out before `nowMs`).
   */
  leaseWebhook(id: string, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Gives a lease up (a hub shutting down), so another hub takes over at once. */
  releaseWebhook(id: string, owner: string): Promise<void>;
}
