/** Latency summary of one step, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Nearest-rank percentiles of `samples` (which it sorts in place). */
export function summarise(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] as number;
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    count: samples.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(samples[samples.length - 1] as number),
    mean: round(sum / samples.length),
  };
}

/** The median of `values` (the mean of the middle two for an even count); `values` is left as it is. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every bench process runs on
 * this machine, so their clocks agree: a time stamped by the source can be compared
 * with the time an agent in another process receives the pop.
 */
export const clock = (): number => performance.timeOrigin + performance.now();
