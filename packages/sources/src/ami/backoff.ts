export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** The delay never grows past this. */
  maxMs: number;
}

/**
 * Capped exponential back-off with jitter: the n-th retry waits between half and all
 * of min(maxMs, initialMs·2ⁿ), so that hubs cut off together do not all come back at
 * the same instant.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
