/** A `{{path}}` placeholder: a field of the event (`callernum`), or a custom variable (`variables.ordernumber`). */
interface Placeholder {
  path: string[];
  raw: boolean;
}

type Part = string | Placeholder;

export interface Template {
  readonly source: string;
  /** Renders against an event; in a URL, values are percent-encoded unless marked `| raw`. */
  render(event: Record<string, unknown>): string;
  /** The fixed text before the first placeholder. */
  readonly prefix: string;
}

const placeholder = /^\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*(?:\|\s*(raw)\s*)?$/;

/**
 * Compiles a template such as `https://crm.example/search?phone={{callernum}}`. Throws an Error
 * saying what is wrong with a placeholder, for the rules loader to put a line on.
 */
export function compileTemplate(source: string, options: { url: boolean }): Template {
  const parts: Part[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`"{{" without a closing "}}" in "${source}"`);
    const inner = rest.slice(open + 2, close);
    const match = placeholder.exec(inner);
    if (!match) {
      throw new Error(`bad placeholder "{{${inner}}}": expected a field such as {{callernum}} or {{variables.ordernumber}}, optionally followed by "| raw"`);
    }
    parts.push({ path: (match[1] ?? '').split('.'), raw: match[2] === 'raw' });
    rest = rest.slice(close + 2);
  }
  const prefix = typeof parts[0] === 'string' ? parts[0] : '';
  return {
    source,
    prefix,
    render(event) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = valueText(lookup(event, part.path));
        out += options.url && !part.raw ? encodeURIComponent(value) : value;
      }
      return out;
    },
  };
}

function lookup(event: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = event;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Missing values render as "" (use an `exists` condition to require them). */
function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
