import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type Path = readonly (string | number)[];

/** `rules[0].when.queue`, as messages name a place in the file. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/**
 * Line and column (1-based) of the node at `path` in the YAML document; with `key`, of the
 * key itself (for an unknown key). Falls back to the nearest parent that exists.
 */
export function locate(doc: Document, counter: LineCounter, path: Path, key = false): { line: number; col: number } {
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) break;
      node = last && key ? pair.key : pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
    } else break;
    if (!node) break;
    found = node;
  }
  const range = (found as Node | null)?.range;
  return counter.linePos(range ? range[0] : 0);
}
