import type { Variables } from '@shuttle-cti/protocol';

/** Splits a change set: keys with a value to set, and keys whose empty value means "remove". */
export function splitChanges(changes: Variables): { set: Variables; remove: string[] } {
  const set: Variables = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') remove.push(key);
    else set[key] = value;
  }
  return { set, remove };
}

/** `current` with `changes` applied: later values win, an empty string removes the key. */
export function applyChanges(current: Variables, changes: Variables): Variables {
  const merged: Variables = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
