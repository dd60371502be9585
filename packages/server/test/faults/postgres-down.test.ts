import type { Socket } from 'socket.io-client';
import { afterAll, expect, it } from 'vitest';
import { createPostgresStore } from '@shuttle-cti/store';
import { describePostgres, dropSchema, randomSchemaName, testDatabaseUrl } from '../../../store/test/pg-helpers.js';
import { createTcpProxy, freePort, type TcpProxy } from '../../../store/test/tcp-proxy.js';
import { collect, connectClient, seedEvents, startTestHub, until, type TestHub } from '../helpers.js';
import { countDeliveries, printCounts } from './counts.js';

type Answer = { status: number; body: { ok?: boolean; seq?: number; error?: { code: string; message: string } } };

describePostgres('fault: PostgreSQL stopped', () => {
  const real = new URL(testDatabaseUrl);
  const schema = randomSchemaName();
  let proxy: TcpProxy | undefined;
  let t: TestHub | undefined;
  let integration: Socket | undefined;
  afterAll(async () => {
    integration?.close();
    await t?.stop();
    await t?.hub.store.close();
    await proxy?.stop();
    await dropSchema(testDatabaseUrl, schema);
  });

  it('fails /readyz and refuses ingest with 503 UNAVAILABLE while it is down, then resumes by itself', async () => {
    // The hub reaches PostgreSQL through a relay this test cuts: the real server is never touched.
    const port = await freePort();
    proxy = createTcpProxy(port, { host: real.hostname, port: Number(real.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(testDatabaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const store = createPostgresStore({ url: viaProxy.toString(), schema, max: 4, connectionTimeoutMs: 1000 });
    await store.migrate();
    t = await startTestHub({ store });
    const hub = t;
    integration = await connectClient(hub.url, '/', { token: hub.tokens.integration, lastSeq: 0 });
    const arrived = collect<{ seq: number; uniqueid: string }>(integration, ['ringing']);

    const { ringing } = await seedEvents();
    const post = async (uniqueid: string): Promise<Answer> => {
      const res = await fetch(`${hub.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens.source}` },
        body: JSON.stringify({ ...ringing, uniqueid }),
      });
      return { status: res.status, body: (await res.json()) as Answer['body'] };
    };
    const ready = async (): Promise<number> => (await fetch(`${hub.url}/readyz`)).status;
    const acked: number[] = [];
    const postMany = async (prefix: string, n: number): Promise<Answer[]> => {
      const answers: Answer[] = [];
      for (let i = 0; i < n; i++) {
        const answer = await post(`${prefix}.${i}`);
        if (answer.status === 202 && typeof answer.body.seq === 'number') acked.push(answer.body.seq);
        answers.push(answer);
      }
      return answers;
    };

    expect(await ready()).toBe(200);
    expect((await postMany('before', 20)).every((a) => a.status === 202)).toBe(true);

    await proxy.stop();
    await until(async () => (await ready()) === 503, 10_000, '/readyz to fail');
    const readyz = await fetch(`${hub.url}/readyz`);
    expect(await readyz.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });

    const during = await postMany('down', 20);
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/unavailable|retry/i) });
    }
    // The same for a source inside the hub (the AMI client) and for commands.
    await expect(hub.hub.sink.emit({ ...ringing, uniqueid: 'down.sink' } as never)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const command = (await integration.timeout(10_000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/x', peer: hub.peer, mode: 'new_tab' })) as { ok: boolean; error?: { code: string } };
    expect(command).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    await proxy.start();
    await until(async () => (await ready()) === 200, 20_000, '/readyz to recover');
    expect((await postMany('after', 20)).every((a) => a.status === 202)).toBe(true);
    await until(() => arrived.length >= acked.length, 10_000, 'events after recovery');

    const counts = countDeliveries(acked, arrived.map((e) => e.seq));
    const refusedButDelivered = arrived.filter((e) => e.uniqueid.startsWith('down.')).length;
    printCounts('postgres down', { ...counts, refused: during.length + 1, refusedButDelivered });
    console.log(`postgres down: ingest answered ${during[0]?.status} ${JSON.stringify(during[0]?.body)}`);
    expect(counts).toMatchObject({ sent: 40, received: 40, lost: 0, duplicated: 0, outOfOrder: 0, extra: 0 });
    expect(refusedButDelivered).toBe(0);
    expect(integration.connected).toBe(true);
  });
});
