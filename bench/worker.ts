import { fork, type ChildProcess } from 'node:child_process';
import type { WorkerCommand, WorkerReply, WorkerSetup } from './workers/messages.js';

export interface Worker {
  readonly pid: number;
  /** The worker's answer to its setup (agents say how many connected, and how fast). */
  readonly ready: Extract<WorkerReply, { type: 'ready' }>;
  /** Sends a command and resolves with the worker's answer (one at a time per worker). */
  ask<T extends WorkerReply>(command: WorkerCommand, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

const entry = new URL('./workers/main.ts', import.meta.url);

/** Forks a bench worker (run through tsx) and sends it its setup. */
export async function startWorker(setup: WorkerSetup, timeoutMs = 120_000): Promise<Worker> {
  const child: ChildProcess = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: { resolve: (m: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (message: WorkerReply) => {
    const w = waiting;
    waiting = undefined;
    if (!w) return;
    if (message.type === 'error') w.reject(new Error(`${setup.kind} worker: ${message.message}`));
    else w.resolve(message);
  });
  child.on('exit', (code) => {
    waiting?.reject(new Error(`${setup.kind} worker exited (${code ?? 'signal'})`));
    waiting = undefined;
  });

  const ask = <T extends WorkerReply>(command: WorkerCommand, ms = 60_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (waiting) {
        reject(new Error(`${setup.kind} worker is busy`));
        return;
      }
      const timer = setTimeout(() => {
        waiting = undefined;
        reject(new Error(`${setup.kind} worker did not answer ${command.type} within ${ms} ms`));
      }, ms);
      waiting = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      child.send(command);
    });

  let ready: Extract<WorkerReply, { type: 'ready' }>;
  try {
    ready = await ask<Extract<WorkerReply, { type: 'ready' }>>({ type: 'setup', setup }, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid: child.pid ?? 0,
    ready,
    ask,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
