import type { AgentReportRow, QueueReportRow } from '@shuttle-cti/protocol';
import type { AgentSlot, PauseSpan, QueueSlot, Store } from '@shuttle-cti/store';
import { bucketIndex, buckets, type Bucket } from './time-zone.js';

export type ReportInterval = 'hour' | 'day' | 'total';

export interface ReportOptions {
  /** ms since the epoch; `from` inclusive, `to` exclusive. */
  fromMs: number;
  toMs: number;
  interval: ReportInterval;
  /** IANA zone in which hours and days are cut. */
  timeZone: string;
  /** Seconds (queues: answeredWithinSla). */
  sla: number;
  /** Pauses still going count up to this instant (default: now). */
  nowMs?: number;
}

export type { AgentReportRow, QueueReportRow } from '@shuttle-cti/protocol';

/**
 * Slots of 15 minutes: every time zone's hours and days start on a quarter hour of UTC,
 * so the store's sums per slot add up exactly into local hours and days.
 */
const slotMs = 900_000;

const oneDecimal = (x: number): number => Math.round(x * 10) / 10;
const ratio = (part: number, whole: number, scale = 1): number | null => (whole === 0 ? null : oneDecimal((part / whole) * scale));
const iso = (ms: number): string => new Date(ms).toISOString();

function slotQuery(o: ReportOptions) {
  return { fromMs: o.fromMs, toMs: o.toMs, slotMs: o.interval === 'total' ? 0 : slotMs, sla: o.sla };
}

/** Which bucket a slot's sums belong to. */
function placer(o: ReportOptions, list: readonly Bucket[]): (slot: number) => number {
  return o.interval === 'total' ? () => 0 : (slot) => bucketIndex(list, slot * slotMs);
}

interface QueueSums {
  answered: number;
  abandoned: number;
  within: number;
  holdSum: number;
  handled: number;
  talkSum: number;
  maxWait: number | null;
}

const zeroQueue = (): QueueSums => ({ answered: 0, abandoned: 0, within: 0, holdSum: 0, handled: 0, talkSum: 0, maxWait: null });

function addQueue(sums: QueueSums, s: QueueSlot): void {
  sums.answered += s.answered;
  sums.abandoned += s.abandoned;
  sums.within += s.answeredWithinSla;
  sums.holdSum += s.holdSum;
  sums.handled += s.handled;
  sums.talkSum += s.talkSum;
  if (s.maxWait !== null) sums.maxWait = sums.maxWait === null ? s.maxWait : Math.max(sums.maxWait, s.maxWait);
}

/**
 * The queues report of docs/PROTOCOL.md (Reports): one row per queue and interval, every
 * interval of the range listed for each queue that had a call in it (zeros included, so a
 * chart has no gaps). Rows by queue, then time.
 */
export async function queueReport(store: Store, o: ReportOptions): Promise<QueueReportRow[]> {
  const list = buckets(o.timeZone, o.fromMs, o.toMs, o.interval);
  const place = placer(o, list);
  const byQueue = new Map<string, QueueSums[]>();
  for (const s of await store.queueSlots(slotQuery(o))) {
    let row = byQueue.get(s.queue);
    if (row === undefined) {
      row = list.map(zeroQueue);
      byQueue.set(s.queue, row);
    }
    addQueue(row[place(s.slot)] as QueueSums, s);
  }
  const rows: QueueReportRow[] = [];
  for (const queue of [...byQueue.keys()].sort()) {
    (byQueue.get(queue) ?? []).forEach((sums, i) => {
      const b = list[i] as Bucket;
      const offered = sums.answered + sums.abandoned;
      rows.push({
        queue,
        from: iso(b.start),
        to: iso(b.end),
        offered,
        answered: sums.answered,
        abandoned: sums.abandoned,
        answeredWithinSla: sums.within,
        serviceLevel: ratio(sums.within, offered, 100),
        asa: ratio(sums.holdSum, sums.answered),
        aht: ratio(sums.talkSum, sums.handled),
        maxWait: sums.maxWait,
        abandonRate: ratio(sums.abandoned, offered, 100),
      });
    });
  }
  return rows;
}

interface AgentSums {
  rings: number;
  answered: number;
  ringNoAnswer: number;
  handled: number;
  talkSum: number;
  outbound: number;
  pausedMs: number;
}

const zeroAgent = (): AgentSums => ({ rings: 0, answered: 0, ringNoAnswer: 0, handled: 0, talkSum: 0, outbound: 0, pausedMs: 0 });

function addAgent(sums: AgentSums, s: AgentSlot): void {
  sums.rings += s.rings;
  sums.answered += s.answered;
  sums.ringNoAnswer += s.ringNoAnswer;
  sums.handled += s.handled;
  sums.talkSum += s.talkSum;
  sums.outbound += s.outbound;
}

/**
 * A peer's pauses in any of its queues, merged: paused in two queues at once counts once
 * (a pause without a queue pauses every queue, one agentstate event each).
 */
export function mergedPauses(spans: readonly PauseSpan[], untilMs: number): Map<string, Bucket[]> {
  const byPeer = new Map<string, Bucket[]>();
  for (const s of spans) {
    const list = byPeer.get(s.peer) ?? [];
    list.push({ start: s.startMs, end: s.endMs ?? Math.max(s.startMs, untilMs) });
    byPeer.set(s.peer, list);
  }
  for (const [peer, list] of byPeer) {
    list.sort((a, b) => a.start - b.start);
    const merged: Bucket[] = [];
    for (const span of list) {
      const last = merged.at(-1);
      if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ ...span });
    }
    byPeer.set(peer, merged);
  }
  return byPeer;
}

/**
 * The agents report: one row per peer and interval, for each peer rung, answering, calling
 * out or paused in the range. Rows by peer, then time.
 */
export async function agentReport(store: Store, o: ReportOptions): Promise<AgentReportRow[]> {
  const list = buckets(o.timeZone, o.fromMs, o.toMs, o.interval);
  const place = placer(o, list);
  const byPeer = new Map<string, { name: string; sums: AgentSums[] }>();
  const entry = (peer: string, name: string | null) => {
    let e = byPeer.get(peer);
    if (e === undefined) {
      e = { name: name ?? '', sums: list.map(zeroAgent) };
      byPeer.set(peer, e);
    } else if (e.name === '' && name !== null) {
      e.name = name;
    }
    return e;
  };
  for (const s of await store.agentSlots(slotQuery(o))) addAgent(entry(s.peer, s.agentname).sums[place(s.slot)] as AgentSums, s);

  const spans = await store.pauseSpans({ fromMs: o.fromMs, toMs: o.toMs });
  for (const s of spans) entry(s.peer, s.agentname);
  const until = Math.min(o.nowMs ?? Date.now(), o.toMs);
  for (const [peer, merged] of mergedPauses(spans, until)) {
    const sums = entry(peer, null).sums;
    for (const span of merged) {
      for (let i = bucketIndex(list, span.start); i < list.length; i++) {
        const b = list[i] as Bucket;
        if (b.start >= span.end) break;
        const overlap = Math.min(b.end, span.end) - Math.max(b.start, span.start);
        if (overlap > 0) (sums[i] as AgentSums).pausedMs += overlap;
      }
    }
  }

  const rows: AgentReportRow[] = [];
  for (const peer of [...byPeer.keys()].sort()) {
    const e = byPeer.get(peer);
    if (e === undefined) continue;
    e.sums.forEach((sums, i) => {
      const b = list[i] as Bucket;
      rows.push({
        peer,
        agentname: e.name,
        from: iso(b.start),
        to: iso(b.end),
        offered: sums.rings,
        answered: sums.answered,
        ringNoAnswer: sums.ringNoAnswer,
        talkSeconds: oneDecimal(sums.talkSum),
        aht: ratio(sums.talkSum, sums.handled),
        outbound: sums.outbound,
        pausedSeconds: Math.round(sums.pausedMs / 1000),
      });
    });
  }
  return rows;
}
