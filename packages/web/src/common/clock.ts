/**
 * The hub's clock as seen from the browser. Times on the wire (`time`, `since`) are the
 * hub's; a browser whose clock is off by a minute would show wrong timers. Every event
 * received gives an upper bound of (local − hub) = skew + network delay; the smallest
 * bound seen is the best estimate of the skew.
 */
export interface HubClock {
  /** Feed the `time` of an event just received. */
  observe(hubIso: string): void;
  /** Local epoch ms corresponding to a hub ISO time. */
  toLocal(hubIso: string): number;
  /** Hub "now" in epoch ms. */
  now(): number;
}

export function createHubClock(localNow: () => number = Date.now): HubClock {
  let offset: number | undefined;
  return {
    observe(hubIso) {
      const hub = Date.parse(hubIso);
      if (Number.isNaN(hub)) return;
      const bound = localNow() - hub;
      if (offset === undefined || bound < offset) offset = bound;
    },
    toLocal(hubIso) {
      const hub = Date.parse(hubIso);
      return Number.isNaN(hub) ? localNow() : hub + (offset ?? 0);
    },
    now() {
      return localNow() - (offset ?? 0);
    },
  };
}
