import { safe } from '../common/token.js';

/**
 * The ids of commands this browser has already carried out, kept in localStorage so
 * that a reload, a second tab or a command sent again after a reconnect never pops
 * twice. Entries are kept a day (commands live for minutes) and at most `limit`.
 */
export interface PerformedIds {
  has(id: string): boolean;
  add(id: string): void;
}

const keepMs = 24 * 60 * 60 * 1000;

export function createPerformedIds(key: string, limit = 1000): PerformedIds {
  const load = (): Map<string, number> => {
    const raw = safe(() => localStorage.getItem(key));
    const entries = raw === null || raw === undefined ? undefined : safe(() => JSON.parse(raw) as unknown);
    const map = new Map<string, number>();
    if (!Array.isArray(entries)) return map;
    const oldest = Date.now() - keepMs;
    for (const entry of entries) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && entry[1] > oldest) {
        map.set(entry[0], entry[1]);
      }
    }
    return map;
  };
  // Kept in memory as well, in case storage is unavailable.
  const local = new Set<string>();
  return {
    has(id) {
      return local.has(id) || load().has(id);
    },
    add(id) {
      local.add(id);
      // Re-read first: another tab (a previous primary) may have added ids.
      const map = load();
      map.set(id, Date.now());
      const entries = [...map].slice(-limit);
      safe(() => localStorage.setItem(key, JSON.stringify(entries)));
    },
  };
}
