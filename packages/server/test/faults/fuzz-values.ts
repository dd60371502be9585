/**
 * Seeded generators of hostile input: random JSON values, awkward strings, deep nesting,
 * binary, and mutations of valid commands and events (one field removed, retyped or
 * replaced). The same seed gives the same sequence, so a failure reproduces.
 */
export interface Fuzz {
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  string(): string;
  /** Any value, JSON or not (undefined, NaN, Buffer, nesting up to `maxNesting` deep). */
  value(depth?: number): unknown;
  /** A copy of `valid` with one to three fields broken. */
  mutate(valid: Record<string, unknown>): unknown;
  /** An event name: known commands, names of the hub's own events, and noise. */
  eventName(): string;
}

const awkward = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '\u200b',
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  '👩‍👩‍👧‍👦',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '%00%ff',
  '\n\r\t\b\f',
  '${process.exit()}',
  '__proto__',
  'constructor',
  'prototype',
  'SIP/andrea.bianco',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<b>x</b>',
  'vbscript:x',
  'file:///etc/passwd',
  'ftp://crm.example.test/x',
  'https://',
  'http://',
  'http:///x',
  '//crm.example.test/x',
  '/crm/relative',
  'https://crm.example.test/ok',
  'http://[::1]:99999/',
  'https://user:pw@crm.example.test/x',
  'new_tab',
  'info',
  '1599601698.94',
  '-1',
  '1e999',
  'NaN',
  '4.5',
  'true',
  'null',
];

const names = [
  'AgentCTI',
  'AgentCTINotification',
  'RealtimeCTI',
  'CustomVariables',
  'ack',
  'agentcti',
  'AgentCTI ',
  'welcome',
  'snapshot',
  'cti_error',
  'ringing',
  'up',
  'hangup',
  'replay_truncated',
  'agent',
  'toString',
  '__proto__',
  'hasOwnProperty',
  '',
];

/**
 * Sets an own property, even one named `__proto__` (plain assignment would change the
 * prototype). An own `__proto__` holding an object is left out: socket.io-client copies a
 * binary payload by assignment, which turns that key into the copy's prototype and makes
 * the client itself throw before anything is sent.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__' && typeof value === 'object' && value !== null) return;
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `maxNesting` bounds the deepest value: socket.io-client's encoder recurses through a
 * payload and overflows the client's own stack past a few thousand levels, so socket
 * lanes stay below that; HTTP bodies are written as text and go far deeper.
 */
export function createFuzz(random: () => number, maxNesting = 3000): Fuzz {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const chance = (p: number): boolean => random() < p;

  function unicode(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      const kind = int(4);
      if (kind === 0) out += String.fromCharCode(32 + int(95));
      else if (kind === 1) out += String.fromCharCode(int(0x10000)); // includes lone surrogates
      else if (kind === 2) out += String.fromCodePoint(0x10000 + int(0xfffff));
      else out += String.fromCharCode(int(32));
    }
    return out;
  }

  function string(): string {
    switch (int(6)) {
      case 0:
        return unicode(int(64));
      case 1:
        return pick(awkward).repeat(1 + int(3));
      case 2:
        return `https://crm.example.test/${'a'.repeat(int(4000))}`;
      case 3:
        return 'x'.repeat(pick([255, 256, 257, 1024, 1025, 2048, 2049, 4097, 17_000]));
      default:
        return pick(awkward);
    }
  }

  function nested(depth: number): unknown {
    let v: unknown = pick([1, 'x', null, {}]);
    for (let i = 0; i < depth; i++) v = chance(0.5) ? [v] : { a: v };
    return v;
  }

  function value(depth = 0): unknown {
    const k = int(depth > 3 ? 12 : 16);
    switch (k) {
      case 0:
        return undefined;
      case 1:
        return null;
      case 2:
        return chance(0.5);
      case 3:
        return pick([0, -0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.NaN, Number.POSITIVE_INFINITY]);
      case 4:
      case 5:
      case 6:
        return string();
      case 7:
        return Buffer.from(unicode(int(32)));
      case 8:
        return new Date(int(2 ** 42));
      case 9:
        return nested(Math.min(maxNesting, pick([10, 100, 1000, 3000])));
      case 10:
        return [];
      case 11:
        return {};
      case 12:
      case 13:
        return Array.from({ length: int(6) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = int(6); i > 0; i--) setOwn(o, chance(0.3) ? pick(awkward) : string().slice(0, 40), value(depth + 1));
        return o;
      }
    }
  }

  function mutate(valid: Record<string, unknown>): unknown {
    if (chance(0.05)) return [valid];
    if (chance(0.05)) return JSON.stringify(valid);
    const copy: Record<string, unknown> = { ...valid };
    const keys = Object.keys(valid);
    for (let n = 1 + int(3); n > 0; n--) {
      const key = chance(0.85) ? pick(keys) : string().slice(0, 40);
      const how = int(4);
      if (how === 0) delete copy[key];
      else setOwn(copy, key, how === 1 ? string() : value(1));
    }
    return copy;
  }

  const eventName = (): string => (chance(0.8) ? pick(names) : unicode(1 + int(pick([8, 64, 300]))));

  return { int, pick, chance, string, value, mutate, eventName };
}

/**
 * What the hub receives when a client sends `value` over socket.io: JSON semantics
 * (undefined dropped from objects and null in arrays, NaN and Infinity null, Dates as
 * strings), except that Buffers arrive as Buffers. A payload holding a Buffer travels as a
 * binary packet, which socket.io-client copies key by key by assignment: an own
 * `__proto__` key does not survive that copy, so it is dropped here too.
 */
export function overTheWire(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  let binary = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, v: unknown) => {
      if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
        binary = true;
        return Buffer.from((v as { data: number[] }).data);
      }
      return v;
    }) as unknown;
  } catch {
    // A reviver recurses, and deep nesting overflows it; deep values hold no Buffers anyway.
    return JSON.parse(text) as unknown;
  }
  if (binary) dropProtoKeys(parsed);
  return parsed;
}

function dropProtoKeys(value: unknown): void {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return;
  if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>)['__proto__'];
  for (const child of Object.values(value)) dropProtoKeys(child);
}
