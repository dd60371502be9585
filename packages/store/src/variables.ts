import { CtiError, ErrorCode, Limits, type Variables } from '@shuttle-cti/protocol';

/** UTF-8 bytes of a call's variable names and values together (what Limits.variablesBytesPerCall bounds). */
export function variablesBytes(variables: Variables): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(variables)) bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  return bytes;
}

/**
 * The limits hold per call, not per update: 40 updates of 64 variables each once made a
 * call carry 2,560 of them (2.6 MB in every later event). Throws PAYLOAD_TOO_LARGE naming
 * `variables` when the call's variables, once merged, would exceed them.
 */
export function checkCallVariables(merged: Variables): void {
  const count = Object.keys(merged).length;
  if (count > Limits.variablesPerCall) {
    throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `variables: the call would carry ${count} custom variables; at most ${Limits.variablesPerCall} per call`, { field: 'variables' });
  }
  const bytes = variablesBytes(merged);
  if (bytes > Limits.variablesBytesPerCall) {
    throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `variables: the call's custom variables would take ${bytes} bytes; at most ${Limits.variablesBytesPerCall} per call`, { field: 'variables' });
  }
}

/** The error when a merge was refused inside the database (PostgreSQL checks there, atomically). */
export function callVariablesTooLarge(): CtiError {
  return new CtiError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `variables: a call carries at most ${Limits.variablesPerCall} custom variables and ${Limits.variablesBytesPerCall} bytes of them`,
    { field: 'variables' },
  );
}

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
