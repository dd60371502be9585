import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, nextEvent, record, seedEvents, startTestHub, type TestHub } from './helpers.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t.stop();
});

describe('health, readiness, metrics', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, store: 'sqlite' });
  });

  it('exposes sessions per role, ingested events, routed commands and the ingest latency histogram', async () => {
    const { up } = await seedEvents();
    await t.ingest([up]);
    const integration = record(ioClient(t.url, { auth: { token: t.tokens.integration }, transports: ['websocket'], forceNew: true }));
    await nextEvent(integration, 'welcome');
    await integration.emitWithAck('AgentCTI', { url: 'https://crm.example.test/m', peer: 'SIP/metrics', mode: 'new_tab' });
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^shuttle_cti_sessions\{role="integration"\} 1$/m);
    expect(text).toMatch(/^shuttle_cti_events_ingested_total\{event="up"\} [1-9]/m);
    expect(text).toMatch(/^shuttle_cti_commands_routed_total\{command="AgentCTI"\} 1$/m);
    expect(text).toMatch(/^shuttle_cti_commands_queued_total 1$/m);
    expect(text).toMatch(/^shuttle_cti_ingest_broadcast_seconds_count [1-9]/m);
    expect(text).toMatch(/^shuttle_cti_process_resident_memory_bytes /m);
    integration.close();
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await fetch(`${t.url}/api/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('TLS', () => {
  it('serves HTTPS and socket.io on the same port when a certificate is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], {
      stdio: 'ignore',
    });
    const secure = await startTestHub({ config: { tls: { cert, key } } });
    try {
      expect(secure.url.startsWith('https://')).toBe(true);
      const body = await new Promise<string>((resolve, reject) => {
        httpsRequest(`${secure.url}/healthz`, { rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => resolve(data));
        })
          .on('error', reject)
          .end();
      });
      expect(JSON.parse(body)).toEqual({ ok: true });
      const socket = record(
        ioClient(secure.url, { auth: { token: secure.tokens.integration }, transports: ['websocket'], forceNew: true, rejectUnauthorized: false }),
      );
      expect(await nextEvent(socket, 'welcome')).toMatchObject({ role: 'integration' });
      socket.close();
    } finally {
      await secure.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('graceful close', () => {
  it('stores and publishes every accepted event before closing', async () => {
    const hub = await startTestHub();
    const { ringing } = await seedEvents();
    const pending = hub.ingest(Array.from({ length: 300 }, (_, i) => ({ ...ringing, uniqueid: `close-${i}` })));
    const results = await pending;
    await hub.hub.close();
    expect(results.every((r) => r.ok)).toBe(true);
    const { createSqliteStore } = await import('@shuttle-cti/store');
    const reopened = createSqliteStore({ file: join(hub.dataDir, 'shuttle-cti.sqlite') });
    expect((await reopened.seqRange()).last).toBe(300);
    await reopened.close();
    await hub.stop();
  });
});

describe('restart', () => {
  it('rebuilds calls in progress and today’s counters from the stored events', async () => {
    const hub = await startTestHub();
    const { ringing, up, abandon } = await seedEvents();
    await hub.ingest([
      { ...ringing, uniqueid: 'warm-1' },
      { ...up, uniqueid: 'warm-1' },
      { ...ringing, uniqueid: 'warm-2' },
      { ...abandon, uniqueid: 'warm-2' },
    ]);
    await hub.restart();
    const sup = await connectClient(hub.url, '/supervisor', { token: hub.tokens.supervisor });
    const snapshot = await nextEvent<{ calls: { uniqueid: string; state: string }[]; stats: { calls: number; answered: number; abandoned: number } }>(sup, 'snapshot');
    expect(snapshot.calls.map((c) => [c.uniqueid, c.state])).toEqual([['warm-1', 'talking']]);
    expect(snapshot.stats).toMatchObject({ calls: 2, answered: 1, abandoned: 1 });
    sup.close();
    await hub.stop();
  });
});
