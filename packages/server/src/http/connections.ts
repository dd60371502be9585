import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { Counter, Gauge } from 'prom-client';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

type ConnectionLimits = HubConfig['connections'];

/**
 * Options for Node's HTTP server, given when it is created: `connectionsCheckingInterval`
 * can only be set then, and with its default of 30 s a header timeout of 10 s would take
 * up to 40 s to act.
 */
export function serverTimeouts(limits: ConnectionLimits): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  // Node refuses a header timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

/** The process's soft limit on open files (Linux), or undefined where it cannot be read. */
export function descriptorLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

/**
 * The connection cap in force: the configured one, but never so close to the descriptor
 * limit that the store, Redis, PostgreSQL and the logs could not open theirs (a tenth,
 * and at least 64, kept for them): 1,100 idle sockets on a 1,024-descriptor process made
 * `/healthz` time out and agents fail to connect.
 */
export function effectiveMax(configured: number, limit: number | undefined = descriptorLimit()): number {
  if (limit === undefined) return configured;
  return Math.max(1, Math.min(configured, limit - Math.max(64, Math.ceil(limit / 10))));
}

/**
 * Caps open TCP connections (HTTP, long-polling and WebSocket alike) in total and per
 * remote address, and closes idle ones: Fastify's defaults keep a connection that sends
 * nothing, or a header a byte at a time, open forever, so a few hundred of them from one
 * host used up the process's file descriptors and agents could no longer connect.
 * Refused connections are closed at once, before a byte is read.
 */
export function guardConnections(server: HttpServer, limits: ConnectionLimits, metrics: Metrics, logger: Logger): void {
  const open = new Gauge({
    name: 'shuttle_cti_http_connections',
    help: 'Open TCP connections to the hub (HTTP, long-polling and WebSocket)',
    registers: [metrics.registry],
  });
  const refused = new Counter({
    name: 'shuttle_cti_http_connections_refused_total',
    help: 'TCP connections closed on arrival, by reason (total or per-address cap)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
  });
  const timeouts = serverTimeouts(limits);
  server.headersTimeout = timeouts.headersTimeout;
  server.requestTimeout = timeouts.requestTimeout;
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  // Inactivity either way; the ws library turns this off on sockets it upgrades (they ping).
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => socket.destroy());

  const max = effectiveMax(limits.max);
  if (max < limits.max) logger.info({ configured: limits.max, max, descriptors: descriptorLimit() }, 'connections.max lowered to fit the open-file limit (ulimit -n)');
  const byAddress = new Map<string, number>();
  let total = 0;
  let warned = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const mine = byAddress.get(address) ?? 0;
    const reason = total >= max ? 'total' : mine >= limits.maxPerAddress ? 'address' : undefined;
    if (reason !== undefined) {
      refused.inc({ reason });
      socket.destroy();
      // At most one warning a minute: the refused connections may come by the thousand.
      if (Date.now() - warned > 60_000) {
        warned = Date.now();
        logger.warn({ address, reason, total, fromAddress: mine }, 'connection refused: too many open connections');
      }
      return;
    }
    total += 1;
    byAddress.set(address, mine + 1);
    open.inc();
    socket.once('close', () => {
      total -= 1;
      const left = (byAddress.get(address) ?? 1) - 1;
      if (left <= 0) byAddress.delete(address);
      else byAddress.set(address, left);
      open.dec();
    });
  });
}
