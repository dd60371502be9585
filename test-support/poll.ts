/**
 * The one polling helper of every package's tests: wait for a condition with a deadline,
 * never a fixed sleep. Prefer waiting for the event itself (`once(emitter, 'x')`, the
 * recorded sockets of packages/server/test/helpers.ts); poll what has no event.
 */

export interface PollOptions {
  /** What is awaited, for the error at the deadline ("timed out waiting for <what>"). */
  what: string;
  /** Deadline in ms (default 5000). */
  ms?: number;
  /** Pause between two checks in ms (default 10; 0 yields to the event loop only). */
  everyMs?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms <= 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

/** Polls `check` until it returns a truthy value and resolves with it; rejects at the deadline. */
export async function until<T>(check: () => T | Promise<T>, options: PollOptions): Promise<NonNullable<T>> {
  const { what, ms = 5000, everyMs = 10 } = options;
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * Whether `check` comes to hold within `ms`: true as soon as it does, false at the
 * deadline. For a test that something does *not* happen in a given time as well as one
 * that it does.
 */
export async function holdsWithin(check: () => boolean | Promise<boolean>, ms: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await pause(everyMs);
  }
  return check();
}
