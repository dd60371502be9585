#!/usr/bin/env node
import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { Command, CommanderError } from 'commander';
import { ExitCode, ExitError } from './exit-codes.js';

type Register = (program: Command) => void;

/**
 * Each command's module is loaded only when that command runs (or for the overall help):
 * `run` and `replay` start without loading the hub's dependencies.
 */
const commands: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  token: async () => (await import('./commands/token.js')).registerTokenCommand,
  webhook: async () => (await import('./commands/webhook.js')).registerWebhookCommand,
  simulate: async () => (await import('./commands/simulate.js')).registerSimulateCommand,
  run: async () => (await import('./commands/run.js')).registerRunCommand,
  replay: async () => (await import('./commands/replay.js')).registerReplayCommand,
  service: async () => (await import('./commands/service.js')).registerServiceCommand,
  report: async () => (await import('./commands/report.js')).registerReportCommand,
};

const program = new Command()
  .name('shuttle-cti')
  .description('Open CTI hub implementing the Shuttle CTI realtime API')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

try {
  const named = process.argv[2];
  const wanted = named !== undefined && named in commands ? [commands[named]] : Object.values(commands);
  for (const load of wanted) if (load) (await load())(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
  }
  if (error instanceof ExitError) {
    process.stderr.write(`shuttle-cti: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`shuttle-cti: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof CtiError) {
    const auth = error.code === ErrorCode.UNAUTHORIZED || error.code === ErrorCode.FORBIDDEN;
    process.exit(auth ? ExitCode.AUTH : error.code === ErrorCode.INVALID_PAYLOAD ? ExitCode.USAGE : ExitCode.FAILURE);
  }
  process.exit(ExitCode.FAILURE);
}
