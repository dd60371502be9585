/** One step of the database schema; `version`s are applied in ascending order, each exactly once. */
export interface Migration {
  version: number;
  /** Short description, stored nowhere; it only helps a reader of the list. */
  name: string;
  sql: string;
}

/**
 * The migrations of `all` that are not in `applied`, in order. Throws when the database
 * has a version this code does not know: it was migrated by a newer release, and running
 * an older one against it could corrupt data.
 */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  const known = new Set(all.map((m) => m.version));
  for (const version of applied) {
    if (!known.has(version)) {
      throw new Error(
        `database schema version ${version} is unknown to this release of shuttle-cti (it knows up to ${Math.max(0, ...known)}); upgrade shuttle-cti`,
      );
    }
  }
  return all.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
}

/** Guards the hand-written lists: versions must be positive and strictly increasing. */
export function checkMigrations(list: readonly Migration[]): readonly Migration[] {
  let previous = 0;
  for (const m of list) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration versions must be strictly increasing integers (got ${m.version} after ${previous})`);
    }
    previous = m.version;
  }
  return list;
}
