import { callEventNames, type CallEventName } from '@shuttle-cti/protocol';
import type { CtiClient } from '@shuttle-cti/sdk';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { PreparedIntegration } from './prepared.js';
import { frameLocation, ScriptError, syntaxErrorLocation, transformErrorLocation } from './script-error.js';

type Handler = (event: never, cti: CtiClient) => unknown;
type Setup = (cti: CtiClient) => unknown;

const require = createRequire(import.meta.url);

/**
 * A TypeScript or JavaScript script compiled as CommonJS (no "type": "module" nearby) lands
 * in require's cache, where a second import would find the old code: forget the script's
 * own folder so a reload (`--watch`) runs what is on disk. ES modules get a fresh graph per
 * tsImport call.
 */
function forgetCached(folder: string): void {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const key of Object.keys(require.cache)) {
    const path = key.split('?')[0] ?? key;
    if (path.startsWith(prefix) && !path.includes(`${sep}node_modules${sep}`)) {
       
      delete require.cache[key];
    }
  }
}

function loadError(file: string, error: unknown): ScriptError {
  const transform = transformErrorLocation(error);
  if (transform) return new ScriptError(transform.file || file, transform.line, transform.column, transform.detail);
  if (error instanceof SyntaxError) {
    const at = syntaxErrorLocation(error, file);
    const where = at.line === undefined ? frameLocation(error, file) : at;
    return new ScriptError(file, where.line, where.column, `SyntaxError: ${error.message}`);
  }
  const { line, column } = frameLocation(error, file);
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ScriptError(file, line, column, `the script failed while loading: ${detail}`);
}

/** The default export, seen through the CommonJS interop wrapper when there is one. */
function exported(mod: Record<string, unknown>): unknown {
  let value = mod['default'];
  const inner = value as { __esModule?: unknown; default?: unknown } | undefined;
  if (typeof inner === 'object' && inner !== null && inner.__esModule === true) value = inner.default;
  if (value !== undefined) return value;
  // No default export: named exports called after events (`export function up(call, cti)`).
  const named = Object.fromEntries(Object.entries(mod).filter(([k]) => (callEventNames as readonly string[]).includes(k)));
  return Object.keys(named).length > 0 ? named : undefined;
}

const shapeHelp =
  'the script must export default a function that receives the client, or an object of handlers by event name (' +
  callEventNames.join(', ') +
  ')';

/** Imports a TypeScript/JavaScript integration (no build step: tsx compiles it) and checks its shape. */
export async function prepareModule(file: string): Promise<PreparedIntegration> {
  // Stack traces then point at the lines of the TypeScript source, not of tsx's output.
  process.setSourceMapsEnabled(true);
  forgetCached(dirname(file));
  let mod: Record<string, unknown>;
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw loadError(file, error);
  }
  const value = exported(mod);
  if (typeof value === 'function') {
    const setup = value as Setup;
    return {
      kind: 'module',
      file,
      install: async (cti) => {
        const cleanup = await setup(cti);
        return typeof cleanup === 'function' ? (cleanup as () => void) : undefined;
      },
    };
  }
  if (typeof value !== 'object' || value === null) throw new ScriptError(file, undefined, undefined, shapeHelp);
  const handlers = new Map<CallEventName, Handler>();
  for (const [name, handler] of Object.entries(value)) {
    if (!(callEventNames as readonly string[]).includes(name)) {
      throw new ScriptError(file, undefined, undefined, `unknown event '${name}' in the exported handlers; ${shapeHelp}`);
    }
    if (typeof handler !== 'function') {
      throw new ScriptError(file, undefined, undefined, `the handler for '${name}' is not a function`);
    }
    handlers.set(name as CallEventName, handler as Handler);
  }
  return {
    kind: 'module',
    file,
    install: async (cti) => {
      for (const [name, handler] of handlers) {
        // One registration per event name; the handler's own signature was checked by its author.
        (cti.on as (event: string, h: (payload: unknown) => unknown) => CtiClient)(name, (event) => handler(event as never, cti));
      }
    },
  };
}
