import { callEventNames, ErrorCode, type CallEvent } from '@shuttle-cti/protocol';
import { connect, type CtiClient } from '@shuttle-cti/sdk';
import { ExitCode, ExitError } from '../exit-codes.js';
import { onShutdown } from '../shutdown.js';
import { describeContext, taggedContext } from './context.js';
import { createCustomVariables } from './legacy/custom-variables.js';
import type { RunnerLog } from './log.js';
import { prepareIntegration } from './prepare.js';
import { createRunner } from './runner.js';
import { ScriptError } from './script-error.js';
import { createStateFile } from './state-file.js';
import { watchScript } from './watch.js';

export interface LiveOptions {
  script: string;
  urls: string[];
  token: string | undefined;
  legacy: boolean;
  watch: boolean;
  timeoutMs: number;
  lastSeq: number | undefined;
  stateFile: string | undefined;
  log: RunnerLog;
}

const scriptExit = (error: unknown): unknown =>
  error instanceof ScriptError ? new ExitError(ExitCode.SCRIPT, error.message) : error;

/** Handlers' stray failures (an unawaited command, a throw in a timer) are logged, never fatal. */
function keepRunning(log: RunnerLog): void {
  process.on('unhandledRejection', (reason) => {
    log.error(`${describeContext(taggedContext(reason))}: a promise failed and nothing handled it`, reason);
  });
  process.on('uncaughtException', (error) => {
    log.error('the integration threw outside any handler', error);
  });
}

function logConnection(client: CtiClient, log: RunnerLog): void {
  client.on('connect', ({ url }) => {
    const from = client.lastSeq === undefined ? '' : `, resuming after seq ${client.lastSeq}`;
    log.info(`connected to ${url}${from}`);
  });
  client.on('disconnect', ({ url, reason }) => {
    if (!client.closed) log.warn(`disconnected from ${url} (${reason}); reconnecting`);
  });
  client.on('reconnecting', ({ url, delay, error }) => {
    if (error) log.warn(`cannot reach ${url} (${error.message}); next attempt in ${delay} ms`);
  });
  client.on('replay_truncated', ({ from, to }) => {
    log.warn(`events ${from} to ${to} were older than the hub keeps and were not replayed`);
  });
  client.on('handler_error', (error, { event }) => log.error(`a '${event}' listener failed`, error));
}

/**
 * `shuttle-cti run`: checks the script before connecting, then runs it against the hub until
 * SIGINT/SIGTERM, reloading it on change with --watch. Resolves on a clean stop; rejects with
 * an ExitError for a broken script (3) or a refused token (4).
 */
export async function runLive(options: LiveOptions): Promise<void> {
  const { log } = options;
  const customVariables = createCustomVariables();
  const prepare = () =>
    prepareIntegration(options.script, { legacy: options.legacy, log, customVariables, timeoutMs: options.timeoutMs });
  const first = await prepare().catch((error: unknown) => {
    throw scriptExit(error);
  });
  log.info(`${first.kind} integration ${first.file} checked`);

  const state = options.stateFile ? createStateFile(options.stateFile) : undefined;
  const lastSeq = options.lastSeq ?? state?.read();
  if (!options.token) log.warn('no token (--token or SHUTTLE_CTI_TOKEN): only a hub that trusts loopback integrations will accept it');

  keepRunning(log);
  // Ready for SIGINT/SIGTERM before connecting: a supervisor may stop us as soon as we log "connected".
  const signalled = onShutdown(async () => log.info('stopping'));
  const client = connect(options.urls, {
    ...(options.token ? { token: options.token } : {}),
    ...(lastSeq === undefined ? {} : { lastSeq }),
  });

  let stop: (error?: Error) => void = () => undefined;
  const stopped = new Promise<void>((resolve, reject) => {
    stop = (error) => (error ? reject(error) : resolve());
  });
  const runner = createRunner({ client, log, timeoutMs: options.timeoutMs, onStop: () => stop() });
  client.on('error', (error) => {
    if (client.closed && (error.code === ErrorCode.UNAUTHORIZED || error.code === ErrorCode.FORBIDDEN)) {
      stop(new ExitError(ExitCode.AUTH, `the hub refused the token: ${error.message}`));
    } else log.error('the hub reported an error', error);
  });
  logConnection(client, log);

  for (const name of callEventNames) {
    client.on(name, (event: CallEvent) => {
      state?.update(event.seq);
      void runner.dispatch(name, event);
    });
  }

  const watcher = options.watch
    ? watchScript(first.file, () => {
        prepare()
          .then((next) => runner.install(next))
          .then(
            () => log.info(`reloaded ${first.file}`),
            (error: unknown) => log.error('reload failed; the previous version keeps running', error instanceof ScriptError ? error.message : error),
          );
      })
    : undefined;

  const cleanUp = (): void => {
    watcher?.close();
    client.close();
    state?.flush();
  };
  try {
    await runner.install(first);
  } catch (error) {
    cleanUp();
    throw error instanceof ScriptError ? scriptExit(error) : new ExitError(ExitCode.SCRIPT, `${first.file}: set-up failed: ${(error as Error).message}`);
  }
  try {
    await Promise.race([stopped, signalled]);
  } finally {
    cleanUp();
  }
}
