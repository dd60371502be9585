import type { IncomingMessage } from 'node:http';
import type { HubConfig } from '../config.js';

/** What socket.io takes to check browsers' origins (its `cors` and `allowRequest` options). */
export interface OriginPolicy {
  /** CORS of long-polling: only configured origins get `Access-Control-Allow-Origin` (the hub's own pages need none). */
  cors: { origin: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => void; credentials: true };
  /** Every handshake (polling and WebSocket): a browser's Origin must be the hub's own or a configured one. */
  allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => void;
}

/** Whether `origin` names the host the request was sent to (the page came from this hub). */
export function isOwnOrigin(origin: string, request: IncomingMessage): boolean {
  try {
    const host = request.headers.host;
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Cross-site WebSocket hijacking: a browser sends its cookies and an Origin header with a
 * WebSocket handshake, but the WebSocket itself is not subject to CORS, so a page of any
 * site could otherwise open a socket to the hub. Clients that are not browsers send no
 * Origin and are not concerned; their token is what counts.
 */
export function createOriginPolicy(config: Pick<HubConfig, 'allowedOrigins' | 'web'>): OriginPolicy {
  const allowed = new Set([...config.allowedOrigins, ...config.web.hubs]);
  return {
    cors: {
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      credentials: true,
    },
    allowRequest(request, callback) {
      const origin = request.headers.origin;
      if (origin === undefined || allowed.has(origin) || isOwnOrigin(origin, request)) callback(null, true);
      else callback('this origin may not connect to the hub (configuration allowedOrigins)', false);
    },
  };
}
