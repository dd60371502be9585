import { callEventNames, type CallEventName } from '@shuttle-cti/protocol';
import type { CtiClient } from '@shuttle-cti/sdk';
import * as vm from 'node:vm';
import type { RunnerLog } from '../log.js';
import type { PreparedIntegration } from '../prepared.js';
import { frameLocation, ScriptError, syntaxErrorLocation } from '../script-error.js';
import type { CustomVariablesStore } from './custom-variables.js';
import { createLegacyGlobals } from './globals.js';

export interface LegacyOptions {
  customVariables: CustomVariablesStore;
  log: RunnerLog;
  /** Longest synchronous run of the script's top level or of one handler, in ms (0: none). */
  timeoutMs: number;
}

/** Calls that end: their custom variables are released after their handlers ran. */
const endOfCall: ReadonlySet<string> = new Set(['hangup', 'abandon']);

/**
 * Compiles a handlers-only script written for the original service. Compiling is all that
 * happens here, so a syntax error is reported (file, line, column) before any connection.
 */
export function prepareLegacy(file: string, source: string, options: LegacyOptions): PreparedIntegration {
  let script: vm.Script;
  try {
    script = new vm.Script(source, { filename: file });
  } catch (error) {
    const { line, column } = syntaxErrorLocation(error as Error, file);
    throw new ScriptError(file, line, column, `${(error as Error).name}: ${(error as Error).message}`);
  }
  return {
    kind: 'legacy',
    file,
    install: (cti) => installLegacy(file, script, cti, options),
  };
}

async function installLegacy(file: string, script: vm.Script, cti: CtiClient, options: LegacyOptions): Promise<void> {
  const { customVariables, log } = options;
  const globals = createLegacyGlobals(() => cti, log);
  const event: Record<string, unknown> = {};
  let pending: (() => unknown) | undefined;
  const sandbox: Record<string, unknown> = {
    event,
    wakeup: globals.wakeup,
    notification: globals.notification,
    pushevent: globals.pushevent,
    dial: globals.dial,
    hangup: globals.hangup,
    transfer: globals.transfer,
    pause: globals.pause,
    customvariables: customVariables.object,
    socket: globals.socket,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    URL,
    URLSearchParams,
    fetch,
  };
  // Handlers are called through the context so that the vm timeout also stops a synchronous endless loop.
  Object.defineProperty(sandbox, '__shuttle_invoke__', { value: () => pending?.(), enumerable: false });
  const context = vm.createContext(sandbox, { name: file });
  const invoke = new vm.Script('__shuttle_invoke__()', { filename: 'shuttle-cti:dispatch' });
  const runOptions = options.timeoutMs > 0 ? { timeout: options.timeoutMs } : {};

  try {
    script.runInContext(context, runOptions);
  } catch (error) {
    const { line, column } = frameLocation(error, file);
    throw new ScriptError(file, line, column, `the script failed while loading: ${describe(error)}`);
  }

  for (const name of Object.keys(event)) {
    if (!(callEventNames as readonly string[]).includes(name)) {
      log.warn(`${file}: event.${name} is not an event the hub sends (${callEventNames.join(', ')}); it will never run`);
    }
  }

  const call = (handler: (data: unknown) => unknown, data: unknown): unknown => {
    pending = () => handler.call(event, data);
    try {
      return invoke.runInContext(context, runOptions);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new Error(`handler did not return within ${options.timeoutMs} ms; its loop was interrupted`);
      }
      throw error;
    } finally {
      pending = undefined;
    }
  };

  for (const name of callEventNames) cti.on(name, (data: unknown) => dispatch(name, data));

  function dispatch(name: CallEventName, data: unknown): unknown {
    const uniqueid = (data as { uniqueid?: unknown }).uniqueid;
    customVariables.track(data as { uniqueid?: unknown; variables?: unknown });
    const release = (): void => {
      if (endOfCall.has(name) && typeof uniqueid === 'string') customVariables.release(uniqueid);
    };
    // Looked up at each event: a script may replace its handlers while it runs.
    const handler = event[name];
    if (typeof handler !== 'function') {
      release();
      return undefined;
    }
    let result: unknown;
    try {
      result = call(handler as (data: unknown) => unknown, data);
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Promise || (typeof result === 'object' && result !== null && 'then' in result)) {
      return Promise.resolve(result).finally(release);
    }
    release();
    return result;
  }
}

function describe(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  return typeof e?.message === 'string' ? `${String(e.name)}: ${e.message}` : String(error);
}
