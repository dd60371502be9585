import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../store/test/tcp-proxy.js';
import { seedEvents, until } from '../helpers.js';
import { cliToken, startServe, type ServeProcess } from '../faults/serve-process.js';
import { cliWebhook } from './cli-webhook.js';
import { startReceiver, type Receiver } from './receiver.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('webhooks across a SIGKILL of the hub', () => {
  it('loses nothing and repeats at most the event in flight', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'shuttle-cti-webhook-kill-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const config = join(dataDir, 'hub.json');
    await writeFile(config, JSON.stringify({ webhooks: { refreshMs: 200, leaseMs: 1500, pollMs: 2000, retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 5000 } }));
    const receiver: Receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const secretFile = join(dataDir, 'secret');
    await writeFile(secretFile, `${receiver.secret}\n`, { mode: 0o600 });

    const port = await freePort();
    let hub: ServeProcess = await startServe({ port, dataDir, config });
    cleanups.push(() => hub.kill());
    const source = await cliToken(dataDir, 'source');
    // Added while the hub runs, as an operator would.
    const id = (await cliWebhook(['add', '--url', receiver.url, '--events', 'up', '--secret-file', secretFile, '--data', dataDir])).trim();
    expect(id).toMatch(/^wh_[0-9a-f]+$/);

    // The 11th delivery never gets an answer: the hub is killed with it in flight.
    let killAt = 10;
    receiver.answer((_r, i) => (i === killAt ? 'hang' : { status: 200 }));
    const { up } = await seedEvents();
    const acked: number[] = [];
    const post = async (n: number): Promise<void> => {
      const res = await fetch(`${hub.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${source}` },
        body: JSON.stringify({ ...up, uniqueid: `1700000300.${n}` }),
      });
      const json = (await res.json()) as { seq?: number };
      if (res.status === 202 && typeof json.seq === 'number') acked.push(json.seq);
    };
    for (let n = 0; n < 30; n++) await post(n);
    expect(acked).toHaveLength(30);
    await until(() => receiver.received.length > killAt, 20_000, 'the delivery in flight');
    await hub.kill('SIGKILL');
    killAt = -1;

    // The next hub takes the webhook over once the dead one's lease has run out, from the stored cursor.
    hub = await startServe({ port, dataDir, config });
    for (let n = 30; n < 35; n++) await post(n);
    await until(() => new Set(receiver.received.map((r) => Number(r.headers['x-shuttle-seq']))).size === acked.length, 30_000, 'every event delivered');

    const seqs = receiver.received.map((r) => Number(r.headers['x-shuttle-seq']));
    const inFlight = seqs[10];
    const repeats = seqs.filter((s, i) => seqs.indexOf(s) !== i);
    // The event in flight had no answer: it is delivered again, and it alone.
    expect(repeats).toEqual([inFlight]);
    // First deliveries in seq order, all signed.
    const firsts = seqs.filter((s, i) => seqs.indexOf(s) === i);
    expect(firsts).toEqual([...acked].sort((a, b) => a - b));
    expect(receiver.received.every((r) => r.signed)).toBe(true);

    const listed = JSON.parse(await cliWebhook(['list', '--json', '--data', dataDir])) as { id: string; delivered: number; state: string; lag: number }[];
    await until(async () => {
      const again = JSON.parse(await cliWebhook(['list', '--json', '--data', dataDir])) as { lag: number }[];
      return again[0]?.lag === 0;
    }, 20_000, 'lag 0 in webhook list');
    expect(listed[0]).toMatchObject({ id, state: 'enabled' });
    await hub.kill('SIGTERM');
  });
});
