export { ExitCode, ExitError } from './exit-codes.js';
export { resolveServeConfig, serveConfigSchema } from './config.js';
export type { ServeConfig } from './config.js';
