import { z } from 'zod';

/**
 * The one table of error codes used on the wire, in logs and in the SDK.
 * Callers branch on `code`, never on message text.
 */
export const ErrorCode = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  INVALID_JSON: 'INVALID_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_FOUND: 'NOT_FOUND',
  UNAVAILABLE: 'UNAVAILABLE',
  TIMEOUT: 'TIMEOUT',
  /** No source that can carry out the command (an HTTP-ingest PBX, the simulator). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** The PBX refused; `message` carries its own text. */
  PBX_ERROR: 'PBX_ERROR',
  DISCONNECTED: 'DISCONNECTED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status that goes with each code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  INVALID_PAYLOAD: 400,
  INVALID_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  NOT_SUPPORTED: 501,
  PBX_ERROR: 502,
  DISCONNECTED: 503,
  INTERNAL: 500,
};

/** The codes of the table, as a zod enum (a code outside it is not a wire error). */
export const errorCode = z.enum(ErrorCode);

/** The only error shape that crosses the wire. */
export const wireError = z.object({
  code: errorCode,
  message: z.string(),
  /** The payload field at fault (`url`, `peer`, `channel.queue`), when there is one. */
  field: z.string().exactOptional(),
});
export type WireError = z.infer<typeof wireError>;

/** `cti_error`: a command sent without an ack callback failed. */
export const commandError = wireError.extend({ command: z.string() });
export type CommandError = z.infer<typeof commandError>;

/** An HTTP error answer: `{ error: { code, message, field? } }`. */
export const errorAnswer = z.object({ error: wireError });
export type ErrorAnswer = z.infer<typeof errorAnswer>;

/** An error carrying a `code` (and the `field` at fault, when there is one). */
export class CtiError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /**
   * How long to wait before trying again, in ms, when the refusal says (an overload, a rate
   * limit). HTTP answers send it as `Retry-After` (whole seconds); it is not in the wire shape.
   */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string | undefined; cause?: unknown; retryAfterMs?: number | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CtiError';
    this.code = code;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }

  toWire(): WireError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }

  static fromWire(error: WireError): CtiError {
    return new CtiError(error.code, error.message, { field: error.field });
  }
}

/** Normalises anything thrown into a CtiError; unknown errors become INTERNAL without leaking details. */
export function toCtiError(error: unknown): CtiError {
  if (error instanceof CtiError) return error;
  return new CtiError(ErrorCode.INTERNAL, 'internal error', { cause: error });
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  return 'code' in value && typeof value.code === 'string' && 'message' in value && typeof value.message === 'string';
}
