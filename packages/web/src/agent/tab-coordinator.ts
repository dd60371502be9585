import { safe } from '../common/token.js';
import type { TabMessage } from './tab-messages.js';

/**
 * With the panel open in several tabs of one browser, exactly one of them (the
 * primary) performs pops; the others list them. The primary is elected with the Web
 * Locks API: whoever holds the lock is primary, and when that tab closes or crashes
 * the browser hands the lock to the next waiting tab. Web Locks only exist in secure
 * contexts (https, or http on localhost); a hub reached over plain http on the LAN falls
 * back to a lease in localStorage that the primary renews every second.
 * Tabs talk over a BroadcastChannel (both are scoped to the agent's peer).
 */
export interface TabCoordinator {
  isPrimary(): boolean;
  /** How the election is done, for the diagnostics line. */
  readonly method: 'web-locks' | 'lease';
  post(message: TabMessage): void;
  close(): void;
}

export interface TabCoordinatorOptions {
  peer: string;
  onPrimaryChange: (primary: boolean) => void;
  onMessage: (message: TabMessage) => void;
}

const leaseMs = 3500;
const renewMs = 1000;

export function createTabCoordinator(options: TabCoordinatorOptions): TabCoordinator {
  const scope = `shuttle-cti:agent:${options.peer}`;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(scope) : undefined;
  let primary = false;
  const setPrimary = (value: boolean): void => {
    if (value === primary) return;
    primary = value;
    options.onPrimaryChange(value);
  };
  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => options.onMessage(event.data));

  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  const election = locks === undefined ? electByLease(`${scope}:lease`, setPrimary) : electByLock(locks, `${scope}:primary`, setPrimary);

  return {
    isPrimary: () => primary,
    method: locks === undefined ? 'lease' : 'web-locks',
    post(message) {
      channel?.postMessage(message);
    },
    close() {
      election.stop();
      channel?.close();
      setPrimary(false);
    },
  };
}

interface Election {
  stop(): void;
}

function electByLock(locks: LockManager, name: string, setPrimary: (value: boolean) => void): Election {
  const abort = new AbortController();
  let release: (() => void) | undefined;
  locks
    .request(name, { signal: abort.signal }, () => {
      setPrimary(true);
      // Held until this tab closes or signs out.
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch(() => undefined); // AbortError when stopped while waiting
  return {
    stop() {
      abort.abort();
      release?.();
    },
  };
}

interface Lease {
  tab: string;
  until: number;
}

function electByLease(key: string, setPrimary: (value: boolean) => void): Election {
  const me = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const read = (): Lease | undefined => {
    const raw = safe(() => localStorage.getItem(key));
    if (raw === null || raw === undefined) return undefined;
    const parsed = safe(() => JSON.parse(raw) as Lease);
    return typeof parsed?.tab === 'string' && typeof parsed.until === 'number' ? parsed : undefined;
  };
  let confirmTimer: ReturnType<typeof setTimeout> | undefined;
  const attempt = (): void => {
    const lease = read();
    if (lease !== undefined && lease.tab !== me && lease.until > Date.now()) {
      setPrimary(false);
      return;
    }
    safe(() => localStorage.setItem(key, JSON.stringify({ tab: me, until: Date.now() + leaseMs })));
    // localStorage has no compare-and-set: two tabs may write at once. Read back a
    // moment later; the last writer wins and the other one stands by.
    clearTimeout(confirmTimer);
    confirmTimer = setTimeout(() => setPrimary(read()?.tab === me), 150);
  };
  const timer = setInterval(attempt, renewMs);
  const onStorage = (event: StorageEvent): void => {
    if (event.key === key && event.newValue === null) attempt();
  };
  const giveUp = (): void => {
    if (read()?.tab === me) safe(() => localStorage.removeItem(key));
  };
  addEventListener('storage', onStorage);
  addEventListener('pagehide', giveUp);
  attempt();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(confirmTimer);
      removeEventListener('storage', onStorage);
      removeEventListener('pagehide', giveUp);
      giveUp();
    },
  };
}
