import { createStore, type Store } from '@shuttle-cti/store';
import type { Command } from 'commander';
import { resolveServeConfig } from '../config.js';

/** `--data`, `--database-url` and `--config`, shared by `serve` and `token`, so both act on the same store. */
export function addStoreFlags(command: Command): Command {
  return command
    .option('--config <file>', 'configuration file (JSON or YAML); env SHUTTLE_CTI_CONFIG')
    .option('--data <dir>', 'data directory for the SQLite store (default ./data); env SHUTTLE_CTI_DATA')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite; env DATABASE_URL');
}

export interface StoreFlags {
  config?: string;
  data?: string;
  databaseUrl?: string;
}

export async function openStore(flags: StoreFlags): Promise<Store> {
  const config = resolveServeConfig({
    file: flags.config ?? process.env['SHUTTLE_CTI_CONFIG'],
    env: process.env,
    flags: { dataDir: flags.data, databaseUrl: flags.databaseUrl },
  });
  // A token command writes a row or two and exits: no background checkpoints.
  const store = createStore({
    dataDir: config.dataDir,
    backgroundCheckpoints: false,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  await store.migrate();
  return store;
}
