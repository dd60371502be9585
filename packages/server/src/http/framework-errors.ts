import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { CtiError, ErrorCode, Limits, type WireError } from '@shuttle-cti/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/**
 * Fastify options for the errors raised before any route runs, so that they too leave in
 * the documented `{ error: { code, message } }` shape rather than Fastify's or Node's own.
 * Found by the fuzz test (packages/server/test/faults/fuzz.test.ts).
 */

/**
 * Room for the longest identifier (a 256-character uniqueid) in a path segment once
 * percent-encoded: up to 12 characters per code point. Fastify's default of 100 refused
 * valid uniqueids of 101 to 256 characters.
 */
export const maxParamLength = Limits.identifierLength * 12;

/** A path that is not valid percent-encoded UTF-8, or a segment longer than maxParamLength. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const e =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `a path segment is longer than ${maxParamLength} characters`)
      : new CtiError(ErrorCode.INVALID_PAYLOAD, 'the request path is not valid percent-encoded UTF-8');
  void sendError(reply, e);
}

/** Requests Node's HTTP parser refuses before Fastify sees them: oversized headers (a URL over 16 KiB), garbage. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, wire]: [number, WireError] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'the request line and headers are too large' }]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, { code: ErrorCode.TIMEOUT, message: 'the request took too long to arrive' }]
        : [400, { code: ErrorCode.INVALID_PAYLOAD, message: 'malformed HTTP request' }];
  const body = JSON.stringify({ error: wire });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

export const frameworkOptions = { routerOptions: { maxParamLength }, frameworkErrors, clientErrorHandler };
