import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { Counter } from 'prom-client';
import type { HubConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { createRateLimiter } from './rate-limiter.js';

/**
 * Limits that hold per token or per address rather than per connection: opening more
 * connections must not buy more commands, and guessing tokens gets slower, not cheaper.
 * A valid token is never refused for its address's failures: agents behind one NAT must
 * not be locked out by one of them typing bad tokens.
 */
export interface Guards {
  /** A command of this token (or of the loopback integrations) may go ahead. */
  tokenCommand(tokenKey: string): boolean;
  /** An HTTP request with this token may go ahead. */
  tokenRequest(tokenId: string): boolean;
  /**
   * Records and logs (never the token) a failed authentication. Returns 0, or, once the
   * address has failed `authFailures.max` times in the window, the seconds left in it: the
   * caller then answers RATE_LIMITED, and only after `authFailures.delayMs`.
   */
  authFailed(address: string, via: string): number;
}

/** Addresses remembered for failed authentications; the oldest are forgotten beyond this. */
const maxAddresses = 10_000;

/** Resolves after `ms`: failed authentications of a throttled address are answered late. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** RATE_LIMITED with the seconds to wait, which the HTTP error handler sends as Retry-After. */
export function rateLimited(message: string, retryAfterSeconds: number): CtiError {
  return new CtiError(ErrorCode.RATE_LIMITED, message, { retryAfterMs: retryAfterSeconds * 1000 });
}

/** The hub's guards: one set, shared by its HTTP routes and its namespaces. */
export function createGuards(deps: { config: Pick<HubConfig, 'limits' | 'authFailures'>; logger: Logger; metrics: Metrics }): Guards {
  const { config, logger, metrics } = deps;
  const registers = [metrics.registry];
  const authFailures = new Counter({ name: 'shuttle_cti_auth_failures_total', help: 'Authentications refused for an invalid or revoked token, by where', labelNames: ['via'] as const, registers });
  const authThrottled = new Counter({ name: 'shuttle_cti_auth_throttled_total', help: 'Failed authentications answered late with RATE_LIMITED: the address had failed too often', registers });
  const httpLimited = new Counter({ name: 'shuttle_cti_http_rate_limited_total', help: 'HTTP API requests refused with 429: their token went over limits.httpRequestsPerSecond', registers });

  const commandBuckets = new Map<string, () => boolean>();
  const requestBuckets = new Map<string, () => boolean>();
  const failures = new Map<string, { count: number; since: number }>();

  const bucket = (map: Map<string, () => boolean>, key: string, rate: number): (() => boolean) => {
    let take = map.get(key);
    if (!take) map.set(key, (take = createRateLimiter(rate)));
    return take;
  };

  return {
    tokenCommand: (key) => bucket(commandBuckets, key, config.limits.commandsPerSecondPerToken)(),
    tokenRequest(id) {
      const ok = bucket(requestBuckets, id, config.limits.httpRequestsPerSecond)();
      if (!ok) httpLimited.inc();
      return ok;
    },
    authFailed(address, via) {
      authFailures.inc({ via });
      const now = Date.now();
      let entry = failures.get(address);
      if (!entry || now - entry.since >= config.authFailures.windowMs) {
        failures.delete(address);
        if (failures.size >= maxAddresses) {
          const oldest = failures.keys().next();
          if (!oldest.done) failures.delete(oldest.value);
        }
        failures.set(address, (entry = { count: 0, since: now }));
      }
      entry.count += 1;
      // The token is never logged, not even in part: a near miss is still a secret.
      logger.warn({ address, via, failures: entry.count }, 'authentication failed: invalid or revoked token');
      if (entry.count === config.authFailures.max) {
        logger.warn({ address, windowMs: config.authFailures.windowMs }, 'too many failed authentications: this address is now answered slowly until the window ends');
      }
      if (entry.count <= config.authFailures.max) return 0;
      authThrottled.inc();
      return Math.max(1, Math.ceil((entry.since + config.authFailures.windowMs - now) / 1000));
    },
  };
}
