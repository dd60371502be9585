import type { Store, UnnumberedEvent } from '../../src/store.js';

export interface ConformanceContext {
  /** The running test's store: fresh database, migrated. */
  store(): Store;
  /** Another store on the same database, closed after the test; absent when not supported. */
  reopen: ((store: Store) => Promise<Store>) | undefined;
}

const base = Date.parse('2026-03-02T09:00:00.000Z');

/** An ISO time `seconds` after a fixed base time. */
export function at(seconds: number): string {
  return new Date(base + seconds * 1000).toISOString();
}

let counter = 0;

/** A ringing event with a unique uniqueid, as the hub hands it to the store. */
export function ringing(overrides: Record<string, unknown> = {}): UnnumberedEvent {
  counter += 1;
  return {
    event: 'ringing',
    queue: 'Support',
    agentname: 'Andrea Bianco',
    agentnum: '1000',
    peer: 'SIP/andrea.bianco',
    direction: 'inbound',
    uniqueid: `1599601698.${counter}`,
    callernum: '1003',
    ringing: true,
    time: at(0),
    variables: {},
    ...overrides,
  };
}
