#!/usr/bin/env node
import { CtiError, ErrorCode } from '@shuttle-cti/protocol';
import { Command, CommanderError } from 'commander';
import { registerReplayCommand } from './commands/replay.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerServiceCommand } from './commands/service.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTokenCommand } from './commands/token.js';
import { ExitCode, ExitError } from './exit-codes.js';

const program = new Command()
  .name('shuttle-cti')
  .description('Open CTI hub implementing the Shuttle CTI realtime API')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerServeCommand(program);
registerTokenCommand(program);
registerSimulateCommand(program);
registerRunCommand(program);
registerReplayCommand(program);
registerServiceCommand(program);

try {
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
