import type { Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { describeContext, taggedContext } from '../runner/context.js';
import { readRecordedEvents } from '../runner/events-source.js';
import { createCustomVariables } from '../runner/legacy/custom-variables.js';
import { createLog } from '../runner/log.js';
import { prepareIntegration } from '../runner/prepare.js';
import { replay } from '../runner/replay.js';
import { ScriptError } from '../runner/script-error.js';
import { parseMs } from './run.js';

interface ReplayFlags {
  legacy?: boolean;
  json?: boolean;
  handlerTimeout: string;
}

/** `shuttle-cti replay <events> <script>`: an integration against recorded events, offline. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('run an integration offline against recorded events and print, one per line, the commands it would send')
    .argument('<events>', 'a .jsonl file (one event per line), a .json file (an event or a list), or a folder of them')
    .argument('<script>', 'the integration, as for `run`')
    .option('--legacy', 'run a handlers-only script of the original service (detected when it assigns event.<name>)')
    .option('--json', 'print each command as JSON with the event that caused it')
    .option('--handler-timeout <ms>', 'report a handler as hung after this many milliseconds (0: never)', '30000')
    .addHelpText(
      'after',
      '\nCommands go to stdout, one line each ("AgentCTI {...}"); logs and errors to stderr.\n' +
        'Exit codes: 0 every handler ran and every command was valid, 1 a handler failed or timed out or a command\n' +
        'was invalid, 2 bad usage or unreadable events, 3 broken script.\n' +
        'Example:\n  shuttle-cti replay ./recorded/ my-integration.ts\n',
    )
    .action(async (eventsPath: string, script: string, flags: ReplayFlags) => {
      const timeoutMs = parseMs(flags.handlerTimeout, '--handler-timeout');
      const log = createLog();
      const events = await readRecordedEvents(eventsPath);
      let summary;
      let unhandled = 0;
      try {
        const prepared = await prepareIntegration(script, { legacy: flags.legacy === true, log, customVariables: createCustomVariables(), timeoutMs });
        // A command nobody awaited that failed is a failure of the script too.
        process.on('unhandledRejection', (reason) => {
          unhandled += 1;
          log.error(`${describeContext(taggedContext(reason))}: a promise failed and nothing handled it`, reason);
        });
        summary = await replay(events, prepared, { log, print: (line) => process.stdout.write(`${line}\n`), json: flags.json === true, timeoutMs });
      } catch (error) {
        if (error instanceof ScriptError) throw new ExitError(ExitCode.SCRIPT, error.message);
        throw error;
      }
      // Let promises rejected by the last handlers be reported before counting.
      await new Promise((resolve) => setImmediate(resolve));
      const problems = summary.refused + summary.failed + summary.timedOut + unhandled;
      log.info(
        `${summary.events} events, ${summary.commands} commands` +
          (problems > 0 ? `; ${summary.refused} commands refused, ${summary.failed} handlers failed, ${summary.timedOut} timed out` : ''),
      );
      process.exit(problems > 0 ? ExitCode.FAILURE : ExitCode.OK);
    });
}
