import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../server/test/webhooks/receiver.js';
import { runCli } from './cli-helpers.js';

let dir: string;
let receiver: Receiver;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-webhook-cli-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe('shuttle-cti webhook', () => {
  it('refuses bad definitions naming the flag', async () => {
    const data = join(dir, 'bad');
    const cases = [
      [['--url', 'ftp://crm.example/x', '--events', 'up'], /--url: .*http/],
      [['--url', 'file:///etc/passwd', '--events', 'up'], /--url/],
      [['--url', 'https://crm.example/x', '--events', 'up,answered'], /--events: .*must be one of/],
      [['--url', 'https://crm.example/x', '--events', 'up', '--enrich'], /--enrich: .*ringing/],
      [['--url', 'https://crm.example/x', '--events', 'ringing', '--enrich-timeout', 'soon'], /--enrich-timeout/],
    ] as const;
    for (const [args, message] of cases) {
      const result = await runCli(['webhook', 'add', ...args, '--data', data]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const list = await runCli(['webhook', 'list', '--json', '--data', data]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('adds, lists, tests and removes a webhook', async () => {
    const data = join(dir, 'good');
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, `${receiver.secret}\n`);
    const added = await runCli(['webhook', 'add', '--url', receiver.url, '--events', 'ringing,up', '--queues', 'Sales,Support', '--enrich', '--enrich-timeout', '500', '--secret-file', secretFile, '--data', data]);
    expect(added.code, added.stderr).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^wh_[0-9a-f]+$/);
    // Without --secret-file a secret is made and shown once.
    const other = await runCli(['webhook', 'add', '--url', 'https://crm.example/other', '--events', 'hangup', '--data', data]);
    expect(other.stdout).toMatch(/^wh_[0-9a-f]+\nsecret: whsec_\S+\n$/);

    const table = await runCli(['webhook', 'list', '--data', data]);
    expect(table.stdout).toMatch(/ID\s+STATE\s+URL\s+EVENTS\s+QUEUES\s+LAG/);
    expect(table.stdout).toContain(`${id}  enabled`);
    const json = JSON.parse((await runCli(['webhook', 'list', '--json', '--data', data])).stdout) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({ id, url: receiver.url, events: ['ringing', 'up'], queues: ['Sales', 'Support'], enrich: true, enrichTimeoutMs: 500, state: 'enabled', lag: 0 });
    expect(JSON.stringify(json)).not.toContain(receiver.secret);

    receiver.answer(() => ({ status: 200, body: { ok: true } }));
    const tested = await runCli(['webhook', 'test', id, '--data', data]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toBe('200 {"ok":true}\n');
    const request = receiver.received.at(-1);
    expect(request?.signed).toBe(true);
    expect(request?.headers['x-shuttle-event']).toBe('test');
    receiver.answer(() => ({ status: 500 }));
    expect((await runCli(['webhook', 'test', id, '--data', data])).code).toBe(1);

    expect((await runCli(['webhook', 'remove', id, '--data', data])).stdout).toBe(`removed ${id}\n`);
    const again = await runCli(['webhook', 'remove', id, '--data', data]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`no webhook with id ${id}`);
  });
});
