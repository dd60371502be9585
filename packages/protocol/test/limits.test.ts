import { describe, expect, it } from 'vitest';
import { jsonByteLength } from '../src/limits.js';

const utf8Bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

describe('jsonByteLength', () => {
  it('is the length of the UTF-8 JSON text, ASCII or not', () => {
    for (const text of ['plain ascii', 'è caffè', '\u07ff\u0800', 'emoji 😀 pair', '\ud800 lone surrogate', 'mixed \u0080 é 中 😀']) {
      const value = { event: 'up', text, list: [text, 1, true] };
      expect(jsonByteLength(value)).toBe(utf8Bytes(value));
    }
  });

  it('is 0 for what JSON leaves out and Infinity for what it cannot write', () => {
    expect(jsonByteLength(undefined)).toBe(0);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(jsonByteLength(cycle)).toBe(Number.POSITIVE_INFINITY);
  });
});
