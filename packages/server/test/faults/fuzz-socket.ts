import {
  ErrorCode,
  Limits,
  agentAck,
  agentCtiCommand,
  agentCtiNotificationCommand,
  customVariablesRequest,
  jsonByteLength,
  realtimeCtiCommand,
} from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io-client';
import type { z } from 'zod';
import { overTheWire, type Fuzz } from './fuzz-values.js';

export type Namespace = '/' | '/agent' | '/supervisor';

/** The commands each namespace accepts, with the schema the hub checks them against. */
const accepted: Record<Namespace, Record<string, z.ZodType>> = {
  '/': { AgentCTI: agentCtiCommand, AgentCTINotification: agentCtiNotificationCommand, RealtimeCTI: realtimeCtiCommand, CustomVariables: customVariablesRequest },
  '/agent': { ack: agentAck },
  '/supervisor': {},
};

const valid: Record<string, Record<string, unknown>> = {
  AgentCTI: { url: 'https://crm.example.test/customer?phone=1003', peer: 'SIP/fuzz.target', mode: 'new_tab' },
  AgentCTINotification: { peer: 'SIP/fuzz.target', type: 'warning', title: 'VIP', body: 'call back' },
  RealtimeCTI: { type: 'crm', channel: { uniqueid: '1.1', time: '2024-01-01T00:00:00Z' }, reference: 'T-1', url: 'https://crm.example.test/t/1' },
  CustomVariables: { uniqueid: '1599601698.94' },
  ack: { id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
};

const codes = new Set<string>(Object.values(ErrorCode));

/** Whether `error` is `{ code, message, field? }` with a documented code. */
export function isWireError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e['code'] === 'string' && codes.has(e['code']) && typeof e['message'] === 'string' && (e['field'] === undefined || typeof e['field'] === 'string');
}

export interface SocketCase {
  name: string;
  payload: unknown;
  /** What the hub must answer: ok (and the payload is valid), or an error with one of these codes. */
  expect: { ok: true } | { ok: false; codes: string[] };
}

/** The scope of the fuzz suite's scoped tokens (protocol 1.2): one queue no call is in, one peer. */
export const fuzzScope = { queues: ['Fuzz'], peers: ['SIP/fuzz.target'] };
const scopedValid: Record<string, Record<string, unknown>> = {
  RealtimeCTI: { type: 'crm', channel: { queue: 'Fuzz', uniqueid: '1.1' }, reference: 'T-1', url: 'https://crm.example.test/t/1' },
};

/**
 * What a scoped integration's well-formed command gets: pops and notifications on its one
 * peer, rows on its queue or peer; anything else FORBIDDEN, and variables of a call
 * NOT_FOUND (never seen) or FORBIDDEN (seen, outside the scope): the fuzz hub has none in it.
 */
function scopedExpectation(name: string, wire: unknown): SocketCase['expect'] {
  const p = wire as Record<string, unknown>;
  const inScope = (e: Record<string, unknown>): boolean => e['queue'] === 'Fuzz' || e['peer'] === 'SIP/fuzz.target';
  switch (name) {
    case 'AgentCTI':
    case 'AgentCTINotification':
      return p['peer'] === 'SIP/fuzz.target' ? { ok: true } : { ok: false, codes: [ErrorCode.FORBIDDEN] };
    case 'RealtimeCTI':
      return inScope(p['channel'] as Record<string, unknown>) ? { ok: true } : { ok: false, codes: [ErrorCode.FORBIDDEN] };
    case 'CustomVariables':
      // The HTTP lanes post calls (outside the scope) with the same uniqueids: FORBIDDEN once seen.
      return { ok: false, codes: [ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN] };
    default:
      return { ok: true };
  }
}

/** A random command for `namespace` and what the documented behaviour says the answer is; `scoped`: sent with a token of `fuzzScope`. */
export function socketCase(fuzz: Fuzz, namespace: Namespace, scoped = false): SocketCase {
  const known = Object.keys(accepted[namespace]);
  const name = known.length > 0 && fuzz.chance(0.7) ? fuzz.pick(known) : fuzz.eventName();
  const base = (scoped ? scopedValid[name] : undefined) ?? valid[name];
  let payload = base && fuzz.chance(0.75) ? fuzz.mutate(base) : fuzz.value();
  // Past maxHttpBufferSize (1 MiB) the transport itself drops the connection, by design: keep below it.
  if (jsonByteLength(overTheWire(payload)) > 500_000) payload = 'x'.repeat(100_000);
  const schema = accepted[namespace][name];
  if (!schema || !Object.hasOwn(accepted[namespace], name)) return { name, payload, expect: { ok: false, codes: [ErrorCode.FORBIDDEN] } };
  const wire = overTheWire(payload);
  if (jsonByteLength(wire) > Limits.payloadBytes) return { name, payload, expect: { ok: false, codes: [ErrorCode.PAYLOAD_TOO_LARGE] } };
  if (!schema.safeParse(wire).success) return { name, payload, expect: { ok: false, codes: [ErrorCode.INVALID_PAYLOAD] } };
  return { name, payload, expect: scoped ? scopedExpectation(name, schema.parse(wire)) : { ok: true } };
}

/** Checks the ack against the case; returns a description of the mismatch, or undefined. */
export function checkAck(c: SocketCase, namespace: Namespace, ack: unknown): string | undefined {
  const a = ack as { ok?: unknown; error?: unknown } | undefined;
  if (typeof a !== 'object' || a === null || typeof a.ok !== 'boolean') return `not an ack object: ${JSON.stringify(ack)}`;
  if (c.expect.ok) {
    // An agent's well-formed ack of an id the hub does not hold answers NOT_FOUND in the error shape.
    if (namespace === '/agent') {
      const notFound = a.ok === false && isWireError(a.error) && (a.error as { code: string }).code === ErrorCode.NOT_FOUND;
      return a.ok === true || notFound ? undefined : `valid ack answered ${JSON.stringify(ack)}`;
    }
    return a.ok ? undefined : `valid ${c.name} refused: ${JSON.stringify(ack)}`;
  }
  if (a.ok || !isWireError(a.error)) return `expected an error, got ${JSON.stringify(ack)}`;
  const code = (a.error as { code: string }).code;
  return c.expect.codes.includes(code) ? undefined : `expected ${c.expect.codes.join('|')}, got ${code}`;
}

/**
 * Sends one case and waits for its answer: the ack, or (sent without an ack, as older
 * scripts do) the `cti_error` event. Only invalid cases go without an ack: a valid one
 * has no answer to wait for.
 */
export async function sendCase(socket: Socket, namespace: Namespace, c: SocketCase, withAck: boolean, nextError: () => Promise<unknown>): Promise<string | undefined> {
  if (withAck || c.expect.ok) {
    const ack: unknown = await socket.timeout(10_000).emitWithAck(c.name, c.payload);
    return checkAck(c, namespace, ack);
  }
  // The socket records what it receives from its creation, so the cti_error is not missed by asking after emitting.
  socket.emit(c.name, c.payload);
  const e = (await nextError()) as { command?: unknown };
  if (!isWireError(e) || typeof e.command !== 'string') return `cti_error not in the documented shape: ${JSON.stringify(e)}`;
  const code = (e as { code: string }).code;
  return c.expect.ok || c.expect.codes.includes(code) ? undefined : `cti_error: expected ${c.expect.ok ? 'ok' : c.expect.codes.join('|')}, got ${code}`;
}
