export { createStore } from './create-store.js';
export type { CreateStoreOptions } from './create-store.js';
export { createSqliteStore } from './sqlite/sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { createPostgresStore } from './postgres/postgres-store.js';
export type { PostgresStoreOptions } from './postgres/postgres-store.js';
export type {
  AppendedEvent,
  DistributiveOmit,
  NewToken,
  OutboxItem,
  OutboxKind,
  OutboxPayloads,
  RealtimeQuery,
  Store,
  TokenRecord,
  UnnumberedEvent,
} from './store.js';
export type { NewWebhook, StoredWebhookDefinition, WebhookProgress, WebhookRecord, WebhookStore } from './webhooks/types.js';
export type {
  AgentSlot,
  CallRange,
  CallSummary,
  CallSummaryStore,
  PauseSpan,
  QueueSlot,
  SlotQuery,
} from './calls/types.js';
