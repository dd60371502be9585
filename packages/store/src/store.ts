import type { AgentCtiDelivery, AgentNotificationDelivery, RealtimeRow, Role, Scope, StreamEvent, Variables } from '@shuttle-cti/protocol';
import type { CallSummaryStore } from './calls/types.js';
import type { WebhookStore } from './webhooks/types.js';

/**
 * Omits `K` from each member of a union on its own. `Omit<Union, K>` keeps only the keys
 * common to all members and, on the loose event objects, collapses them into their index
 * signature; this key-remapping form keeps every member's known fields.
 */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? { [P in keyof T as P extends K ? never : P]: T[P] } : never;

/** An event of the stream (a call event or `agentstate`) as the hub hands it to the store: everything but `seq`. */
export type UnnumberedEvent = DistributiveOmit<StreamEvent, 'seq'>;

/**
 * What `appendEvents` returns for each event: the event numbered, or, for an event whose
 * `eventid` was stored already, the stored original (its `seq`) marked `duplicate`.
 */
export type AppendedEvent = StreamEvent & { duplicate?: true };

export interface TokenRecord {
  id: string;
  role: Role;
  /** Agent tokens are bound to one peer, e.g. `SIP/andrea.bianco`. */
  peer: string | null;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  /** Protocol 1.2: the queues and peers the token is limited to; null when unscoped (sees everything). */
  scope: Scope | null;
}

export interface NewToken {
  id: string;
  role: Role;
  peer: string | null;
  name: string;
  /** SHA-256 hex of the secret; the secret itself is never stored. */
  hash: string;
  /** Limits the token to queues and peers; absent or null: unscoped. */
  scope?: Scope | null;
}

/** What each kind of outbox command delivers to the agent sessions. */
export interface OutboxPayloads {
  AgentCTI: AgentCtiDelivery;
  AgentCTINotification: AgentNotificationDelivery;
}
export type OutboxKind = keyof OutboxPayloads;

/** A command for an agent peer, kept until acknowledged or expired; `kind` says what `payload` is. */
export type OutboxItem = {
  [K in OutboxKind]: {
    id: string;
    peer: string;
    kind: K;
    payload: OutboxPayloads[K];
    createdAt: string;
    expiresAt: string;
  };
}[OutboxKind];

export interface RealtimeQuery {
  type?: string;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
  /** Rows older than this row id (paging, newest first). */
  before?: string;
  limit: number;
}

/**
 * The one persistence interface; SQLite and PostgreSQL implement it and pass the same
 * conformance suite.
 */
export interface Store extends CallSummaryStore, WebhookStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations. Idempotent. */
  migrate(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Stores events in order, assigning each a `seq` greater than any before; returns them
   * numbered, one result per event. An event with an `eventid` that a stored event (not
   * yet pruned) or an earlier event of the same `events` already has is not stored: its
   * result is that stored event, with `duplicate: true`. Atomic with respect to other
   * appends, also from other processes on the same database.
   */
  appendEvents(events: readonly UnnumberedEvent[]): Promise<AppendedEvent[]>;
  /** Events with `seq > after`, ascending, at most `limit`. */
  eventsAfter(after: number, limit: number): Promise<StreamEvent[]>;
  /** Smallest and largest stored `seq` (0 and 0 when empty). */
  seqRange(): Promise<{ first: number; last: number }>;
  /** Deletes events whose time is before `before`; returns how many. */
  pruneEventsBefore(before: string): Promise<number>;

  /** Merges `variables` into the call's; an empty string value removes that key. Returns the result. */
  mergeVariables(uniqueid: string, variables: Variables, at: string): Promise<Variables>;
  getVariables(uniqueid: string): Promise<Variables>;
  /** Forgets variables of calls not updated since `before`; returns how many calls. */
  pruneVariablesBefore(before: string): Promise<number>;

  createToken(token: NewToken): Promise<TokenRecord>;
  /** The token with that hash, if it exists and is not revoked. */
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  /**
   * Ids of the tokens revoked at or after `since` (ISO time), oldest revocation first: a
   * hub re-checking its sessions asks only for what changed, not for every token.
   */
  revokedTokensSince(since: string): Promise<{ id: string; revokedAt: string }[]>;
  /** Revokes by id; false when no such active token. */
  revokeToken(id: string): Promise<boolean>;
  /** Sets (or, with null, removes) an active token's scope, keeping its secret; false when no such active token. */
  setTokenScope(id: string, scope: Scope | null): Promise<boolean>;
  /**
   * The tokens whose scope was set at or after `since` (ISO time), oldest change first,
   * with their scope now: a hub re-checking its sessions asks only for what changed.
   */
  scopeChangedSince(since: string): Promise<{ id: string; scope: Scope | null; changedAt: string }[]>;

  /** Adds a command for a peer. False (and nothing changes) when that id exists already. */
  enqueue(item: OutboxItem): Promise<boolean>;
  /** Unacknowledged, unexpired commands of a peer, oldest first. */
  pendingFor(peer: string, now: string): Promise<OutboxItem[]>;
  /**
   * Marks a command acknowledged; false when unknown, already acknowledged, or (given
   * `peer`) addressed to another peer.
   */
  acknowledge(id: string, peer?: string): Promise<boolean>;
  /** Deletes a peer's oldest unacknowledged commands beyond the newest `keep`; returns how many. */
  dropOldest(peer: string, keep: number): Promise<number>;
  /** Deletes expired commands; returns how many had never been acknowledged. */
  expireBefore(now: string): Promise<number>;

  /** Stores a row; false (and nothing changes) when a row with that id exists already. */
  addRealtime(row: RealtimeRow): Promise<boolean>;
  /** Deletes rows whose time is before `before`; returns how many. */
  pruneRealtimeBefore(before: string): Promise<number>;
  /** Rows newest first. */
  listRealtime(query: RealtimeQuery): Promise<RealtimeRow[]>;
}
