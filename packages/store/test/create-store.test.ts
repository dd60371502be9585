import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../src/index.js';
import type { Store } from '../src/store.js';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-create-'));
  dirs.push(dir);
  return dir;
}

describe('createStore', () => {
  it('uses SQLite in the data directory when no URL is given', async () => {
    for (const databaseUrl of [undefined, '', '  ']) {
      const dataDir = join(await tempDir(), 'nested', 'data');
      const store = createStore({ databaseUrl, dataDir });
      stores.push(store);
      expect(store.kind).toBe('sqlite');
      await store.migrate();
      expect(existsSync(join(dataDir, 'shuttle-cti.sqlite'))).toBe(true);
    }
  });

  it('uses PostgreSQL for postgres:// and postgresql:// URLs', async () => {
    const dataDir = await tempDir();
    for (const databaseUrl of ['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db', 'POSTGRES://u@h/db']) {
      const store = createStore({ databaseUrl, dataDir });
      stores.push(store);
      expect(store.kind).toBe('postgres');
    }
    expect(existsSync(join(dataDir, 'shuttle-cti.sqlite'))).toBe(false);
  });

  it('refuses another scheme with a readable error that does not echo the password', () => {
    const attempt = (databaseUrl: string) => () => createStore({ databaseUrl, dataDir: '.' });
    expect(attempt('mysql://admin:s3cret@db/cti')).toThrow(/unsupported DATABASE_URL scheme "mysql:"/);
    expect(attempt('mysql://admin:s3cret@db/cti')).not.toThrow(/s3cret/);
    expect(attempt('./data/file.sqlite')).toThrow(/no scheme.*postgres:\/\//);
  });
});
