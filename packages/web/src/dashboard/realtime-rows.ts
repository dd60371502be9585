import type { RealtimeRow } from '@shuttle-cti/protocol';
import { field } from '../common/format.js';

export interface RealtimeFilter {
  /** Integration name, '' for all. */
  type: string;
  /** Case-insensitive text, '' for none. */
  text: string;
}

/**
 * The Integration Realtime rows held by the page, newest first, each id once. The
 * filtered view is kept incrementally: new rows are matched alone, and a full pass
 * only happens when the filter changes, so a busy feed with tens of thousands of rows
 * costs little per frame.
 */
export interface RealtimeRows {
  /** Live rows (newest last in the batch, as they arrived); returns how many were new and match. */
  addNewest(rows: readonly RealtimeRow[]): number;
  /** Older rows from the HTTP API (newest first). */
  addOlder(rows: readonly RealtimeRow[]): number;
  setFilter(filter: RealtimeFilter): void;
  filter(): RealtimeFilter;
  view(): readonly RealtimeRow[];
  /** Oldest row id of the current type filter (the paging cursor). */
  oldestId(): string | undefined;
  types(): string[];
  size(): number;
}

/** The cells of a row, for display and for the text filter. */
export function cellsOf(row: RealtimeRow): { caller: string; queue: string; agent: string } {
  const channel = row.channel;
  const num = field(channel, 'callernum', 'caller', 'from');
  const name = field(channel, 'callername');
  return {
    caller: name !== '' && name !== num ? `${name} ${num}`.trim() : num,
    queue: field(channel, 'queue'),
    agent: field(channel, 'agentname', 'agent', 'peer'),
  };
}

export function createRealtimeRows(limit = 100_000): RealtimeRows {
  let rows: RealtimeRow[] = [];
  let filtered: RealtimeRow[] = [];
  const ids = new Set<string>();
  const types = new Set<string>();
  let current: RealtimeFilter = { type: '', text: '' };
  const haystacks = new WeakMap<RealtimeRow, string>();

  const matches = (row: RealtimeRow): boolean => {
    if (current.type !== '' && row.type !== current.type) return false;
    if (current.text === '') return true;
    let text = haystacks.get(row);
    if (text === undefined) {
      const cells = cellsOf(row);
      text = [row.type, row.reference, row.url, cells.caller, cells.queue, cells.agent].join('\u0000').toLowerCase();
      haystacks.set(row, text);
    }
    return text.includes(current.text);
  };
  const fresh = (list: readonly RealtimeRow[]): RealtimeRow[] => {
    const out: RealtimeRow[] = [];
    for (const row of list) {
      if (ids.has(row.id)) continue;
      ids.add(row.id);
      types.add(row.type);
      out.push(row);
    }
    return out;
  };
  const trim = (): void => {
    if (rows.length <= limit) return;
    for (const row of rows.splice(limit)) ids.delete(row.id);
    filtered = rows.filter(matches);
  };

  return {
    addNewest(list) {
      const added = fresh(list).reverse();
      if (added.length === 0) return 0;
      rows = added.concat(rows);
      const matching = added.filter(matches);
      if (matching.length > 0) filtered = matching.concat(filtered);
      trim();
      return matching.length;
    },
    addOlder(list) {
      const added = fresh(list);
      // Pages come newest first and older than what is held; rows seen live are skipped.
      rows = rows.concat(added);
      filtered = rows.filter(matches);
      trim();
      return added.length;
    },
    setFilter(filter) {
      current = { type: filter.type, text: filter.text.trim().toLowerCase() };
      filtered = rows.filter(matches);
    },
    filter: () => current,
    view: () => filtered,
    oldestId() {
      for (let i = rows.length - 1; i >= 0; i -= 1) {
        const row = rows[i] as RealtimeRow;
        if (current.type === '' || row.type === current.type) return row.id;
      }
      return undefined;
    },
    types: () => [...types].sort((a, b) => a.localeCompare(b)),
    size: () => rows.length,
  };
}
