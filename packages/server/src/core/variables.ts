import type { Variables } from '@shuttle-cti/protocol';
import type { Store } from '@shuttle-cti/store';

/**
 * Custom variables per call: the store keeps them across restarts; calls in progress
 * are cached so that ingest does not read the store for every event.
 */
export interface VariablesService {
  /** The call's variables after merging `update` (empty string deletes a key). */
  merge(uniqueid: string, update: Variables | undefined, at: string): Promise<Variables>;
  get(uniqueid: string): Promise<Variables>;
  /** Drops the cached copy (the call ended, or another hub changed it). */
  forget(uniqueid: string): void;
  /** Drops every cached copy (changes by other hubs may have gone unheard). */
  clear(): void;
}

export function createVariablesService(store: Store, maxCached = 50_000): VariablesService {
  const cache = new Map<string, Variables>();

  function remember(uniqueid: string, variables: Variables): Variables {
    if (cache.size >= maxCached && !cache.has(uniqueid)) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(uniqueid, variables);
    return variables;
  }

  return {
    async merge(uniqueid, update, at) {
      if (update && Object.keys(update).length > 0) {
        return remember(uniqueid, await store.mergeVariables(uniqueid, update, at));
      }
      const cached = cache.get(uniqueid);
      if (cached) return cached;
      return remember(uniqueid, await store.getVariables(uniqueid));
    },
    async get(uniqueid) {
      return cache.get(uniqueid) ?? remember(uniqueid, await store.getVariables(uniqueid));
    },
    forget(uniqueid) {
      cache.delete(uniqueid);
    },
    clear() {
      cache.clear();
    },
  };
}
