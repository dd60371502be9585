import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../src/sqlite/database.js';
import { createWriteBatcher } from '../src/sqlite/write-batcher.js';

/** WAL frames written since the last checkpoint (every commit adds one per page it touched). */
function walFrames(db: SqliteDatabase): number {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  return row?.log ?? 0;
}

describe('SQLite write batcher', () => {
  let dir: string;
  let db: SqliteDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-batcher-'));
    db = openSqlite(join(dir, 'db.sqlite'));
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insert = (id: string, n: number | null) => () => db.prepare('INSERT INTO t (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(id, n).changes > 0;

  it('commits the writes of one turn in one transaction', async () => {
    const batcher = createWriteBatcher(db);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => batcher.write(insert(`id-${i}`, i), 'soon')));
    expect(results).toEqual(Array.from({ length: 50 }, () => true));
    const batched = walFrames(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The same 50 rows, one commit each: at least a frame per commit.
    for (let i = 50; i < 100; i++) insert(`id-${i}`, i)();
    const separate = walFrames(db);
    expect(separate).toBeGreaterThanOrEqual(50);
    expect(batched).toBeLessThan(5);
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(100);
  });

  it('gives each write its own result: a failing one is rejected alone, a duplicate says false', async () => {
    const batcher = createWriteBatcher(db);
    const settled = await Promise.allSettled([
      batcher.write(insert('a', 1), 'soon'),
      batcher.write(insert('bad', null), 'soon'),
      batcher.write(insert('a', 2), 'soon'),
      batcher.write(insert('b', 3), 'later'),
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: true });
    expect(settled[1]?.status).toBe('rejected');
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(settled[2]).toEqual({ status: 'fulfilled', value: false });
    expect(settled[3]).toEqual({ status: 'fulfilled', value: true });
    expect(db.prepare('SELECT id, n FROM t ORDER BY id').all()).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 3 },
    ]);
  });

  it('lets a write that can wait share the transaction of the writes that follow in the same pass', async () => {
    const batcher = createWriteBatcher(db);
    const later = batcher.write(insert('later', 1), 'later');
    // Another I/O callback of the same pass, modelled by a second macrotask-free turn.
    await Promise.resolve();
    const soon = batcher.write(insert('soon', 2), 'soon');
    expect(await Promise.all([later, soon])).toEqual([true, true]);
    expect(walFrames(db)).toBeLessThan(5);
  });

  it('writes what is queued when flushed (on close), and rejects every write of a commit that fails', async () => {
    const batcher = createWriteBatcher(db);
    const queued = batcher.write(insert('x', 1), 'later');
    batcher.flush();
    expect(await queued).toBe(true);
    // Another connection holds the write lock: the batch cannot begin its transaction.
    const other = openSqlite(join(dir, 'db.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    db.pragma('busy_timeout = 0');
    const [y, z] = await Promise.allSettled([batcher.write(insert('y', 1), 'soon'), batcher.write(insert('z', 1), 'soon')]);
    other.exec('ROLLBACK');
    other.close();
    expect(String((y as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    expect(y?.status).toBe('rejected');
    expect(z?.status).toBe('rejected');
    expect(db.prepare('SELECT id FROM t ORDER BY id').all()).toEqual([{ id: 'x' }]);
  });
});
