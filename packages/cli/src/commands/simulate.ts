import { createHttpSink, createSimulator } from '@shuttle-cti/sources';
import type { Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { onShutdown } from '../shutdown.js';
import { createLogger } from '@shuttle-cti/server';

/** `shuttle-cti simulate`: the demo traffic as a separate process feeding a hub over HTTP. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('feed a running hub with realistic simulated queue traffic over HTTP')
    .requiredOption('--url <url>', 'the hub, e.g. http://localhost:8888')
    .option('--token <token>', 'a source token; env SHUTTLE_CTI_TOKEN')
    .option('--rate <callsPerMinute>', 'new calls per minute', '12')
    .action(async (options: { url: string; token?: string; rate: string }) => {
      const token = options.token ?? process.env['SHUTTLE_CTI_TOKEN'];
      if (!token) throw new ExitError(ExitCode.USAGE, 'a source token is required: --token or SHUTTLE_CTI_TOKEN');
      const rate = Number(options.rate);
      if (!Number.isFinite(rate) || rate <= 0) throw new ExitError(ExitCode.USAGE, `--rate must be a positive number, got "${options.rate}"`);
      if (!/^https?:\/\//.test(options.url)) throw new ExitError(ExitCode.USAGE, `--url must be an http(s) URL, got "${options.url}"`);
      const logger = createLogger(process.env['SHUTTLE_CTI_LOG_LEVEL'] ?? 'info');
      const sink = createHttpSink({ url: options.url, token });
      const probe = await fetch(`${options.url.replace(/\/+$/, '')}/healthz`).catch(() => undefined);
      if (!probe?.ok) throw new ExitError(ExitCode.FAILURE, `cannot reach the hub at ${options.url}`);
      const simulator = createSimulator({ sink, callsPerMinute: rate, logger });
      const stopped = onShutdown(async () => {
        await simulator.stop();
        logger.info({ calls: simulator.calls }, 'simulator stopped');
      });
      await simulator.start();
      await stopped;
    });
}
