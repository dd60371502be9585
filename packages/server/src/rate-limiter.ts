/** A token bucket: `rate` per second, bursts of twice that (per connection, per token, per address). */
export function createRateLimiter(rate: number): () => boolean {
  const capacity = rate * 2;
  let tokens = capacity;
  let last = performance.now();
  return () => {
    const t = performance.now();
    tokens = Math.min(capacity, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
