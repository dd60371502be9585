import { readFile } from 'node:fs/promises';
import { CtiError, WebhookLimits, type WebhookInfo } from '@shuttle-cti/protocol';
import { addWebhook, testWebhook, webhookInfoOf } from '@shuttle-cti/server';
import type { Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { addStoreFlags, openStore, type StoreFlags } from './store-flags.js';

interface AddFlags extends StoreFlags {
  url: string;
  events: string;
  queues?: string;
  secretFile?: string;
  name?: string;
  enrich?: boolean;
  enrichTimeout?: string;
  maxAge?: string;
}

const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s !== '');

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new ExitError(ExitCode.USAGE, `${flag} must be a whole number of milliseconds (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** The definition's field named as the flag that set it, e.g. `events[1]` → `--events`. */
const flagOf: Record<string, string> = { url: '--url', events: '--events', queues: '--queues', secret: '--secret-file', name: '--name', enrich: '--enrich', enrichTimeoutMs: '--enrich-timeout', maxAgeMs: '--max-age' };

async function readSecret(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const text = (await readFile(file, 'utf8')).trim();
  if (text.length < WebhookLimits.secretMinLength) throw new ExitError(ExitCode.USAGE, `--secret-file: a secret has at least ${WebhookLimits.secretMinLength} characters`);
  return text;
}

function table(rows: WebhookInfo[]): string {
  const cells = rows.map((w) => [
    w.id,
    w.state,
    w.url,
    w.events.join(','),
    w.queues?.join(',') ?? '*',
    String(w.lag),
    `${w.delivered}/${w.failed}/${w.dropped}`,
    w.lastStatus === null ? '-' : String(w.lastStatus),
    w.lastError ?? '-',
  ]);
  const header = ['ID', 'STATE', 'URL', 'EVENTS', 'QUEUES', 'LAG', 'DELIVERED/FAILED/DROPPED', 'LAST', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  return [header, ...cells].map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** `shuttle-cti webhook add | list | remove | test`: acts on the store directly, also while a hub runs (it picks changes up within webhooks.refreshMs). */
export function registerWebhookCommand(program: Command): void {
  const webhook = program.command('webhook').description('register, list, remove and test webhooks (call events by HTTP POST)');

  addStoreFlags(
    webhook
      .command('add')
      .description('register a webhook; prints its id and its secret (shown once)')
      .requiredOption('--url <url>', 'http(s) URL the events are POSTed to')
      .requiredOption('--events <names>', 'comma-separated: ringing,up,hangup,abandon,outbound,ringend,agentstate')
      .option('--queues <names>', 'comma-separated queues (default: every queue)')
      .option('--secret-file <file>', 'file holding the signing secret (default: one is made)')
      .option('--name <label>', 'a label for `webhook list`')
      .option('--enrich', 'caller look-up: ringing waits for the answer’s variables')
      .option('--enrich-timeout <ms>', 'how long ringing waits for the look-up (default 800)')
      .option('--max-age <ms>', 'how long an event is retried before it is dropped (default 86400000, 24 h)'),
  ).action(async (options: AddFlags) => {
    const input = {
      url: options.url,
      events: list(options.events),
      ...(options.queues === undefined ? {} : { queues: list(options.queues) }),
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.enrich ? { enrich: true } : {}),
      ...(options.enrichTimeout === undefined ? {} : { enrichTimeoutMs: integer(options.enrichTimeout, '--enrich-timeout') }),
      ...(options.maxAge === undefined ? {} : { maxAgeMs: integer(options.maxAge, '--max-age') }),
    };
    const secret = await readSecret(options.secretFile);
    const store = await openStore(options);
    try {
      const { record, secret: shown } = await addWebhook(store, { ...input, ...(secret === undefined ? {} : { secret }) });
      process.stdout.write(`${record.id}\n`);
      if (secret === undefined) process.stdout.write(`secret: ${shown}\n`);
    } catch (error) {
      if (error instanceof CtiError && error.field !== undefined) {
        const top = error.field.split(/[.[]/)[0] ?? '';
        throw new ExitError(ExitCode.USAGE, `${flagOf[top] ?? top}: ${error.message.replace(/^webhook: /, '')}`);
      }
      throw error;
    } finally {
      await store.close();
    }
  });

  addStoreFlags(webhook.command('list').description('list webhooks: state, lag, counts, last status and error (never secrets)').option('--json', 'one JSON array')).action(
    async (options: StoreFlags & { json?: boolean }) => {
      const store = await openStore(options);
      try {
        const { last } = await store.seqRange();
        const rows = (await store.listWebhooks()).map((w) => webhookInfoOf(w, last));
        process.stdout.write(`${options.json ? JSON.stringify(rows, null, 2) : table(rows)}\n`);
      } finally {
        await store.close();
      }
    },
  );

  addStoreFlags(webhook.command('remove').description('remove a webhook; no event is sent to it after').argument('<id>', 'the id from `webhook list`')).action(
    async (id: string, options: StoreFlags) => {
      const store = await openStore(options);
      try {
        if (!(await store.deleteWebhook(id))) throw new ExitError(ExitCode.USAGE, `no webhook with id ${id}`);
        process.stdout.write(`removed ${id}\n`);
      } finally {
        await store.close();
      }
    },
  );

  addStoreFlags(webhook.command('test').description('send one signed test event (X-Shuttle-Event: test) and print the answer').argument('<id>', 'the id from `webhook list`')).action(
    async (id: string, options: StoreFlags) => {
      const store = await openStore(options);
      let record;
      try {
        record = await store.getWebhook(id);
      } finally {
        await store.close();
      }
      if (!record) throw new ExitError(ExitCode.USAGE, `no webhook with id ${id}`);
      const result = await testWebhook(record);
      if (!result.ok) throw new ExitError(ExitCode.FAILURE, `${record.definition.url}: ${result.error}`);
      process.stdout.write(`${result.status}${result.body === '' ? '' : ` ${result.body.slice(0, 500)}`}\n`);
      if (result.status < 200 || result.status >= 300) throw new ExitError(ExitCode.FAILURE, `the endpoint answered ${result.status}`);
    },
  );
}
