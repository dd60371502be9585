export { createHub } from './hub.js';
export type { CallEventSink, Hub, HubOptions, Source } from './hub.js';
export { hubConfigSchema, resolveHubConfig } from './config.js';
export type { HubConfig, HubConfigInput } from './config.js';
export { createLogger, maskUrl } from './logger.js';
export type { Logger } from './logger.js';
export { createToken, hashToken } from './auth.js';
export type { IngestResult } from './core/ingest.js';
