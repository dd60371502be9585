import {
  agentColumns,
  agentReport,
  parseReportParams,
  queueColumns,
  queueReport,
  systemTimeZone,
  toCsv,
} from '@shuttle-cti/server';
import { Option, type Command } from 'commander';
import { resolveServeConfig } from '../config.js';
import { addStoreFlags, openStore, type StoreFlags } from './store-flags.js';

interface ReportFlags extends StoreFlags {
  from?: string;
  to?: string;
  interval?: string;
  sla?: string;
  tz?: string;
  csv?: boolean;
  json?: boolean;
}

/** Columns as a padded table; numbers right-aligned, an empty figure shown as "-". */
function table(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => {
    const v = r[c];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '-';
  }));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n') + '\n';
}

/**
 * `shuttle-cti report queues|agents`: the reports of GET /api/v1/reports/…, read from the
 * store directly (like `token`), so they work with or without a running hub.
 */
export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('service level, speed of answer, handle time and abandons per queue or agent');
  for (const kind of ['queues', 'agents'] as const) {
    addStoreFlags(
      report
        .command(kind)
        .description(kind === 'queues' ? 'one row per queue and interval' : 'one row per agent (peer) and interval')
        .option('--from <time>', 'ISO time (2026-03-02T09:00:00+01:00) or a date: from its start; default today 00:00')
        .option('--to <time>', 'ISO time or a date: to its end; default now')
        .addOption(new Option('--interval <interval>', 'rows per hour, per day or one for the range').choices(['hour', 'day', 'total']))
        .option('--sla <seconds>', 'answered within this many seconds counts toward the service level (default reports.sla, 20)')
        .option('--tz <zone>', 'time zone of hours and days (default reports.timeZone, else this machine’s)')
        .option('--csv', 'CSV with a header line')
        .option('--json', 'the rows as one JSON array'),
    ).action(async (flags: ReportFlags) => {
      const config = resolveServeConfig({
        file: flags.config ?? process.env['SHUTTLE_CTI_CONFIG'],
        env: process.env,
        flags: { dataDir: flags.data, databaseUrl: flags.databaseUrl },
      });
      const params = parseReportParams(
        { from: flags.from, to: flags.to, interval: flags.interval, sla: flags.sla, tz: flags.tz },
        { timeZone: config.reports.timeZone ?? systemTimeZone(), sla: config.reports.sla, nowMs: Date.now() },
      );
      const store = await openStore(flags);
      try {
        const rows = (kind === 'queues' ? await queueReport(store, params) : await agentReport(store, params)) as unknown as Record<string, unknown>[];
        const columns = kind === 'queues' ? queueColumns : agentColumns;
        if (flags.csv) process.stdout.write(toCsv(columns, rows));
        else if (flags.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write('no calls in this range\n');
        else process.stdout.write(table(columns, rows));
      } finally {
        await store.close();
      }
    });
  }
}
