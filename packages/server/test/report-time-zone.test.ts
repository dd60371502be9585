import { describe, expect, it } from 'vitest';
import { bucketIndex, buckets, dayRange } from '../src/reports/time-zone.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('report intervals in a time zone', () => {
  it('cuts local days, including the 23- and 25-hour days of summer time', () => {
    const spring = dayRange('Europe/Rome', '2026-03-29');
    expect([iso(spring.start), iso(spring.end), (spring.end - spring.start) / 3_600_000]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 23]);
    const autumn = dayRange('Europe/Rome', '2026-10-25');
    expect((autumn.end - autumn.start) / 3_600_000).toBe(25);
    expect(buckets('Europe/Rome', spring.start, spring.end, 'hour')).toHaveLength(23);
    expect(buckets('Europe/Rome', autumn.start, autumn.end, 'hour')).toHaveLength(25);
    const days = buckets('Europe/Rome', Date.parse('2026-03-28T23:00:00Z'), Date.parse('2026-03-31T22:00:00Z'), 'day');
    expect(days.map((b) => iso(b.start))).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z']);
  });

  it('cuts hours on the half hour where the offset has one, and clips to the range', () => {
    const list = buckets('Asia/Kolkata', Date.parse('2026-03-02T04:10:00Z'), Date.parse('2026-03-02T06:00:00Z'), 'hour');
    expect(list.map((b) => [iso(b.start), iso(b.end)])).toEqual([
      ['2026-03-02T04:10:00.000Z', '2026-03-02T04:30:00.000Z'],
      ['2026-03-02T04:30:00.000Z', '2026-03-02T05:30:00.000Z'],
      ['2026-03-02T05:30:00.000Z', '2026-03-02T06:00:00.000Z'],
    ]);
    // A 15-minute slot starting before the range belongs to the first bucket.
    expect(bucketIndex(list, Date.parse('2026-03-02T04:00:00Z'))).toBe(0);
    expect(bucketIndex(list, Date.parse('2026-03-02T05:45:00Z'))).toBe(2);
  });
});
