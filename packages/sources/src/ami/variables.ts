import { Limits, type Variables } from '@shuttle-cti/protocol';

/**
 * The configured custom variables of one channel, fed by its `ChanVariable` headers
 * (`name=value`, copied by Asterisk into every event of the channel when the name is in
 * manager.conf `channelvars`) and by `VarSet` events. An empty value means unset.
 */
export interface VariableSet {
  /** Applies the `ChanVariable` headers of one event; names not configured are ignored. */
  applyHeaders(headers: readonly string[]): void;
  /** Applies a `VarSet`; `false` when the name is not a configured one. */
  set(name: string, value: string): boolean;
  /**
   * The variables to send with the next call event: every set one, plus `name: ''`
   * for one that was sent earlier and is now unset, so that the hub (which merges, an
   * empty string deleting) drops it too.
   */
  take(): Variables;
}

export function createVariableSet(names: ReadonlySet<string>): VariableSet {
  const values = new Map<string, string>();
  const announced = new Set<string>();
  /** UTF-8 bytes of the names and values in `values`. */
  let bytes = 0;

  function set(name: string, value: string): boolean {
    // Dialplan inheritance prefixes (`_name`, `__name`) are not part of the name.
    const bare = name.replace(/^_{1,2}/, '');
    if (!names.has(bare)) return false;
    if (value === '') {
      const gone = values.get(bare);
      if (gone !== undefined) bytes -= Buffer.byteLength(bare) + Buffer.byteLength(gone);
      values.delete(bare);
      return true;
    }
    // Within the hub's per-call limits, so that a call event is never refused for its
    // variables: a value is cut to the longest accepted, and one that would take the call
    // over 64 variables or 16 KiB of them is left out.
    const kept = value.length > Limits.fieldLength ? value.slice(0, Limits.fieldLength) : value;
    const before = values.get(bare);
    if (before === undefined && values.size >= Limits.variablesPerCall) return true;
    const delta = Buffer.byteLength(kept) - (before === undefined ? -Buffer.byteLength(bare) : Buffer.byteLength(before));
    if (bytes + delta > Limits.variablesBytesPerCall) return true;
    bytes += delta;
    values.set(bare, kept);
    return true;
  }

  return {
    applyHeaders(headers) {
      for (const header of headers) {
        const eq = header.indexOf('=');
        if (eq > 0) set(header.slice(0, eq), header.slice(eq + 1));
      }
    },
    set,
    take() {
      const out: Variables = {};
      for (const name of announced) if (!values.has(name)) out[name] = '';
      announced.clear();
      for (const [name, value] of values) {
        out[name] = value;
        announced.add(name);
      }
      return out;
    },
  };
}
