import type { PresenceTable } from './messages.js';

/** What the presence table sends to the other hubs. */
export interface PresenceOutbox {
  delta(version: number, peer: string, count: number): void;
  heartbeat(version: number): void;
  /** Asks hub `to` for its whole table. */
  request(to: string): void;
  table(table: PresenceTable): void;
}

/**
 * Agent sessions per peer across hubs, so that every hub's supervisors see every agent.
 * Each hub owns its own counts and tells the others: a delta on every change, a heartbeat
 * with its version now and then, and its whole table when asked (a newcomer, or a hub that
 * missed a delta while Redis was away). A hub not heard from for `expireAfterMs` while the
 * link was up is taken as gone (killed), and its sessions stop counting.
 */
export interface Presence {
  /** This hub's session count for `peer` changed. */
  setLocal(peer: string, count: number): void;
  /** Sessions of `peer` on the other hubs. */
  remote(peer: string): number;
  /** Hubs known, this one included. */
  hubs(): number;
  onDelta(hub: string, version: number, peer: string, count: number): void;
  onHeartbeat(hub: string, version: number): void;
  onTable(table: PresenceTable): void;
  onRequest(to: string): void;
  onBye(hub: string): void;
  /** Sends the heartbeat and forgets silent hubs; call every heartbeat interval. */
  tick(linkUp: boolean): void;
  /** The link came back: silent time during the outage does not count, and everyone hears from us. */
  linkRestored(): void;
}

interface Remote {
  version: number;
  seen: number;
  peers: Map<string, number>;
}

export function createPresence(deps: {
  hub: string;
  send: PresenceOutbox;
  /** Called for each peer whose cluster-wide session count may have changed. */
  changed: (peer: string) => void;
  expireAfterMs: number;
  now?: () => number;
}): Presence {
  const { hub, send, changed, expireAfterMs } = deps;
  const now = deps.now ?? Date.now;
  const local = new Map<string, number>();
  const remotes = new Map<string, Remote>();
  let version = 0;

  function replace(id: string, entry: Remote): void {
    const before = remotes.get(id)?.peers ?? new Map<string, number>();
    remotes.set(id, entry);
    for (const peer of new Set([...before.keys(), ...entry.peers.keys()])) {
      if (before.get(peer) !== entry.peers.get(peer)) changed(peer);
    }
  }

  function drop(id: string): void {
    const gone = remotes.get(id);
    if (!gone) return;
    remotes.delete(id);
    for (const peer of gone.peers.keys()) changed(peer);
  }

  return {
    setLocal(peer, count) {
      if ((local.get(peer) ?? 0) === count) return;
      if (count === 0) local.delete(peer);
      else local.set(peer, count);
      version++;
      send.delta(version, peer, count);
    },
    remote(peer) {
      let total = 0;
      for (const r of remotes.values()) total += r.peers.get(peer) ?? 0;
      return total;
    },
    hubs: () => remotes.size + 1,
    onDelta(id, v, peer, count) {
      if (id === hub) return;
      const r = remotes.get(id);
      if (!r || v !== r.version + 1) {
        // Missed something (or never met this hub): the whole table puts it right.
        send.request(id);
        return;
      }
      r.version = v;
      r.seen = now();
      if (count === 0) r.peers.delete(peer);
      else r.peers.set(peer, count);
      changed(peer);
    },
    onHeartbeat(id, v) {
      if (id === hub) return;
      const r = remotes.get(id);
      if (!r) {
        // A hub we have not met: it learns of us, we ask for its table.
        send.table({ hub, version, peers: [...local] });
        send.request(id);
        return;
      }
      r.seen = now();
      if (r.version !== v) send.request(id);
    },
    onTable(table) {
      if (table.hub === hub) return;
      const known = remotes.get(table.hub);
      if (known && known.version > table.version) return; // an older answer overtaken by deltas
      replace(table.hub, { version: table.version, seen: now(), peers: new Map(table.peers.filter(([, n]) => n > 0)) });
    },
    onRequest(to) {
      if (to === hub) send.table({ hub, version, peers: [...local] });
    },
    onBye(id) {
      drop(id);
    },
    tick(linkUp) {
      if (!linkUp) return;
      send.heartbeat(version);
      const t = now();
      for (const [id, r] of remotes) if (t - r.seen > expireAfterMs) drop(id);
    },
    linkRestored() {
      const t = now();
      for (const r of remotes.values()) r.seen = t;
      send.heartbeat(version);
    },
  };
}
