import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.js';

/**
 * The worker's code, run as CommonJS (`eval`): its own connection to the same file, a
 * PASSIVE checkpoint every `intervalMs`. A passive checkpoint never waits for the writer
 * nor blocks it; it copies what it can from the WAL into the database file and fsyncs it.
 */
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let stopping = false;
function checkpoint() {
  try {
    const [state] = db.pragma('wal_checkpoint(PASSIVE)');
    // Under a steady stream of commits a passive checkpoint never catches up with the
    // last frame, so the WAL is never started over and grows without end (530 MB after a
    // minute at 2,000 events/s, every lookup slower as it grows). Past restartFrames, a
    // RESTART checkpoint makes the next commit start the WAL over: it holds commits back
    // only while it copies the few frames the passive ones left and syncs.
    if (state && state.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    // SQLITE_BUSY (another checkpoint is running) only means "next time".
    if (error && error.code !== 'SQLITE_BUSY') throw error;
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker; the caller's connection checkpoints for itself from then on. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the caller's thread. By default SQLite checkpoints inside
 * the commit that crosses 1,000 WAL pages, and with `synchronous = NORMAL` that
 * checkpoint fsyncs the database file: with the hub's stream of small commits (events,
 * outbox rows, acknowledgements) one commit in a few hundred held the event loop for
 * 10–28 ms on this project's machine. Here the connection's automatic checkpoints are
 * turned off and a worker thread does them instead, so a commit only appends to the WAL.
 * Should the worker fail, the connection goes back to checkpointing for itself, so the
 * WAL never grows without bound.
 */
export function startCheckpointer(
  db: SqliteDatabase,
  file: string,
  options: { intervalMs?: number; restartFrames?: number; onError?: (error: Error) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, {
    eval: true,
    // 8,192 frames: a WAL of about 32 MiB with 4 KiB pages, started over every 10–15 s at
    // 2,000 events/s.
    workerData: { driver, file, intervalMs: options.intervalMs ?? 250, restartFrames: options.restartFrames ?? 8192 },
  });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const fallBack = (): void => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', (error) => {
    fallBack();
    options.onError?.(error);
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!stopped) fallBack();
      resolve();
    });
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      fallBack();
      // Referenced again while it stops: an unreferenced worker does not keep the process
      // alive, and a process with nothing else to do would exit in the middle of close().
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
