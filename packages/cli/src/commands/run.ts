import type { Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { runLive } from '../runner/live.js';
import { createLog } from '../runner/log.js';

interface RunFlags {
  url?: string[];
  token?: string;
  legacy?: boolean;
  watch?: boolean;
  handlerTimeout: string;
  lastSeq?: string;
  stateFile?: string;
  quiet?: boolean;
}

export const defaultHubUrl = 'http://localhost:8888';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** A whole number from a flag (0 allowed), e.g. milliseconds or a seq. */
export function parseMs(value: string, flag: string, what = 'milliseconds'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new ExitError(ExitCode.USAGE, `${flag} must be a whole number (${what}), got "${value}"`);
  return n;
}

export function checkUrls(urls: readonly string[]): string[] {
  for (const url of urls) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ExitError(ExitCode.USAGE, `--url must be an http(s) URL, got "${url}"`);
  }
  return [...urls];
}

/** `shuttle-cti run <script>`: runs an integration (TypeScript/JavaScript module, legacy script or rules file) against a hub. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run an integration: a TypeScript/JavaScript module, a legacy template.js-style script, or a rules YAML file')
    .argument('<script>', 'the integration (.ts, .js, .mjs, .cjs, or .yaml/.yml for rules)')
    .option('--url <url>', `the hub; repeat or separate with commas to fail over between hubs; env SHUTTLE_CTI_URL (default ${defaultHubUrl})`, collect)
    .option('--token <token>', 'an integration token; env SHUTTLE_CTI_TOKEN')
    .option('--legacy', 'run a handlers-only script of the original service (detected when it assigns event.<name>)')
    .option('--watch', 'reload the script when it changes, keeping the connection')
    .option('--handler-timeout <ms>', 'report a handler as hung after this many milliseconds (0: never)', '30000')
    .option('--last-seq <n>', 'resume after this event seq')
    .option('--state-file <file>', 'keep the last event seq in this file and resume from it when restarted')
    .option('--quiet', 'log only warnings and errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 stopped by SIGINT/SIGTERM, 1 runtime failure, 2 bad usage, 3 broken script, 4 token refused.\n' +
        'Example:\n  shuttle-cti run my-integration.ts --url http://localhost:8888 --token $TOKEN\n',
    )
    .action(async (script: string, flags: RunFlags) => {
      const envUrls = process.env['SHUTTLE_CTI_URL'] ? collect(process.env['SHUTTLE_CTI_URL'], undefined) : undefined;
      const urls = checkUrls(flags.url ?? envUrls ?? [defaultHubUrl]);
      const lastSeq = flags.lastSeq === undefined ? undefined : parseMs(flags.lastSeq, '--last-seq', 'an event seq');
      await runLive({
        script,
        urls,
        token: flags.token ?? (process.env['SHUTTLE_CTI_TOKEN'] || undefined),
        legacy: flags.legacy === true,
        watch: flags.watch === true,
        timeoutMs: parseMs(flags.handlerTimeout, '--handler-timeout'),
        lastSeq,
        stateFile: flags.stateFile,
        // systemd's journal stamps each line itself (it sets INVOCATION_ID for services).
        log: createLog({ timestamps: !process.env['INVOCATION_ID'], quiet: flags.quiet === true }),
      });
      process.exit(ExitCode.OK);
    });
}
