import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/auth.js';
import { createHub, type Hub } from '../src/hub.js';
import { createLogger } from '../src/logger.js';
import { connectClient, nextEvent, seedEvents, startTestHub, until, type TestHub } from './helpers.js';

async function metric(hub: Hub, line: string): Promise<number> {
  const text = await hub.metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('outbox and rate limits', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { outbox: { maxPerPeer: 50 }, limits: { commandsPerSecond: 1_000, commandsPerSecondPerToken: 100, httpRequestsPerSecond: 2 } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps at most outbox.maxPerPeer commands for a peer that is away, dropping and counting the oldest', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const ids: string[] = [];
    for (let i = 0; i < 80; i += 1) {
      const ack = (await integration.timeout(3000).emitWithAck('AgentCTINotification', { peer: 'SIP/away', type: 'info', title: `n${i}`, body: 'b', id: `away-${i}` })) as { ok: boolean };
      if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack)}`);
      ids.push(`away-${i}`);
    }
    expect(await metric(t.hub, 'shuttle_cti_commands_dropped_total')).toBe(30);
    const agent = await connectClient(t.url, '/agent', { token: await t.agentToken('SIP/away') });
    const received: string[] = [];
    for (let i = 0; i < 50; i += 1) received.push((await nextEvent<{ id: string }>(agent, 'AgentCTINotification')).id);
    expect(received).toEqual(ids.slice(30));
    integration.close();
    agent.close();
  });

  it('rate-limits commands per token across all its connections', async () => {
    const sockets = await Promise.all(Array.from({ length: 4 }, () => connectClient(t.url, '/', { token: t.tokens.integration })));
    // 4 connections × 150 commands at once: each is under its own limit (burst 2,000), the token's burst is 200.
    const acks = (await Promise.all(
      sockets.flatMap((s, n) => Array.from({ length: 150 }, (_, i) => s.timeout(5000).emitWithAck('RealtimeCTI', { type: 'crm', channel: {}, reference: `r${n}-${i}` }))),
    )) as { ok: boolean; error?: { code: string } }[];
    const limited = acks.filter((a) => !a.ok);
    expect(limited.length).toBeGreaterThan(300);
    expect(limited.every((a) => a.error?.code === 'RATE_LIMITED')).toBe(true);
    for (const s of sockets) s.close();
  });

  it('rate-limits the HTTP API per token with 429 RATE_LIMITED and Retry-After', async () => {
    const seed = await seedEvents();
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${t.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.tokens.source}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...seed.ringing, uniqueid: `rate.${i}` }),
        }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    // Burst 4, then 2 a second: however slow the machine, most of the 100 are refused.
    expect(limited.length).toBeGreaterThan(50);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(await limited[0]?.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Another token is not slowed by this one.
    const other = (await createToken(t.hub.store, { role: 'source' })).secret;
    const response = await fetch(`${t.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...seed.ringing, uniqueid: 'rate.other' }),
    });
    expect(response.status).toBe(202);
  });
  it('rate-limits HTTP call control per token too, with 429 and Retry-After in the call-control answer', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${t.url}/api/v1/agents/${encodeURIComponent(t.peer)}/pause`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.tokens.integration}`, 'content-type': 'application/json' },
          body: JSON.stringify({ paused: true }),
        }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(20);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(await limited[0]?.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('failed authentications on HTTP call control', () => {
  let hub: Hub;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'shuttle-cti-auth-cc-')), 'data');
    hub = await createHub({ config: { host: '127.0.0.1', port: 0, dataDir, authFailures: { max: 2, windowMs: 60_000, delayMs: 10 } }, logger: createLogger('error') });
    await hub.listen();
  });
  afterAll(async () => {
    await hub?.close();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('are counted and slow the address down, as on every other route', async () => {
    const post = (token: string) => fetch(`${hub.url}/api/v1/calls/u.1/hangup`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    for (const i of [0, 1]) expect((await post(`sct_guess${i}${'x'.repeat(20)}`)).status).toBe(401);
    expect(await metric(hub, 'shuttle_cti_auth_failures_total{via="http POST /api/v1/calls/:uniqueid/hangup"}')).toBe(2);
    const blocked = await post(`sct_guess2${'x'.repeat(20)}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('Integration Realtime rows', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { retention: { realtimeMs: 60_000, sweepIntervalMs: 50 } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a RealtimeCTI with an id already used answers duplicate: true and is not shown twice', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    const supervisor = await connectClient(t.url, '/supervisor', { token: t.tokens.supervisor });
    const command = { id: 'rt-dup-1', type: 'crm', channel: { callernum: '1003' }, reference: 'A-1' };
    expect(await integration.timeout(3000).emitWithAck('RealtimeCTI', command)).toMatchObject({ ok: true, id: 'rt-dup-1' });
    expect(await integration.timeout(3000).emitWithAck('RealtimeCTI', { ...command, reference: 'A-2' })).toEqual({ ok: true, id: 'rt-dup-1', delivered: 0, queued: 0, duplicate: true });
    await nextEvent(supervisor, 'RealtimeCTI');
    const rows = await t.hub.store.listRealtime({ limit: 10 });
    expect(rows.filter((r) => r.id === 'rt-dup-1').map((r) => r.reference)).toEqual(['A-1']);
    integration.close();
    supervisor.close();
  });

  it('prunes rows older than retention.realtimeMs', async () => {
    await t.hub.store.addRealtime({ id: 'rt-old', type: 'crm', channel: {}, reference: 'old', url: '', time: new Date(Date.now() - 120_000).toISOString() });
    await until(async () => !(await t.hub.store.listRealtime({ limit: 100 })).some((r) => r.id === 'rt-old'), 5000, 'the old row pruned');
    expect((await t.hub.store.listRealtime({ limit: 100 })).some((r) => r.id === 'rt-dup-1')).toBe(true);
  });
});

describe('failed authentications', () => {
  let hub: Hub;
  let dataDir: string;
  const lines: string[] = [];
  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'shuttle-cti-auth-')), 'data');
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) });
    hub = await createHub({ config: { host: '127.0.0.1', port: 0, dataDir, authFailures: { max: 5, windowMs: 60_000, delayMs: 50 } }, logger });
    await hub.listen();
  });
  afterAll(async () => {
    await hub?.close();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });
  afterEach(() => void lines.splice(0));

  it('are logged without the token, counted, and slow the address down after repeated failures, never its valid tokens', async () => {
    const good = (await createToken(hub.store, { role: 'supervisor' })).secret;
    const guesses = Array.from({ length: 5 }, (_, i) => `sct_guess${i}${'x'.repeat(20)}`);
    for (const guess of guesses.slice(0, 3)) {
      const r = await fetch(`${hub.url}/api/v1/events`, { headers: { authorization: `Bearer ${guess}` } });
      expect(r.status).toBe(401);
    }
    for (const guess of guesses.slice(3)) await expect(connectClient(hub.url, '/agent', { token: guess })).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    expect(await metric(hub, 'shuttle_cti_auth_failures_total{via="http GET /api/v1/events"}')).toBe(3);
    expect(await metric(hub, 'shuttle_cti_auth_failures_total{via="socket.io /agent"}')).toBe(2);
    const failures = lines.filter((l) => l.includes('authentication failed'));
    expect(failures).toHaveLength(5);
    for (const guess of guesses) expect(lines.join('\n')).not.toContain(guess.slice(4, 14));
    expect(JSON.parse(failures[0] ?? '{}')).toMatchObject({ address: '127.0.0.1', via: 'http GET /api/v1/events' });

    // Further guesses from this address are answered late, with RATE_LIMITED until the window ends.
    const blocked = await fetch(`${hub.url}/api/v1/events`, { headers: { authorization: 'Bearer sct_another_guess_xxxxxxxxxxxx' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    await expect(connectClient(hub.url, '/supervisor', { token: 'sct_yet_another_guess_xxxxxxxx' })).rejects.toMatchObject({ data: { code: 'RATE_LIMITED' } });
    expect(await metric(hub, 'shuttle_cti_auth_throttled_total')).toBe(2);
    // A colleague behind the same address with a valid token is not held back.
    expect((await fetch(`${hub.url}/api/v1/events`, { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
    (await connectClient(hub.url, '/supervisor', { token: good })).close();
  });

  it('the data directory is created 0700 and the SQLite files 0600', async () => {
    await hub.ingest([{ ...(await seedEvents()).ringing, uniqueid: 'perm.1' }]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const file = join(dataDir, 'shuttle-cti.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (!existsSync(f)) continue;
      expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
    }
    expect(existsSync(file)).toBe(true);
  });
});

describe('peer names', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses peers with white space at an end or control characters in commands, events and tokens, naming the field', async () => {
    const integration = await connectClient(t.url, '/', { token: t.tokens.integration });
    for (const peer of ['SIP/alice ', '\tSIP/alice', 'SIP/al\u0000ice', 'SIP/\u202ealice']) {
      const ack = (await integration.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/x', peer, mode: 'new_tab' })) as { ok: boolean; error?: { code: string; field?: string } };
      expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', field: 'peer' } });
      const [result] = await t.ingest([{ ...(await seedEvents()).ringing, peer }]);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', field: 'peer' } });
      await expect(createToken(t.hub.store, { role: 'agent', peer })).rejects.toThrow(/peer/);
    }
    // A non-ASCII peer is a peer like any other.
    const ack = (await integration.timeout(3000).emitWithAck('AgentCTI', { url: 'https://crm.example.test/x', peer: 'SIP/\u0430lice', mode: 'new_tab' })) as { ok: boolean };
    expect(ack.ok).toBe(true);
    integration.close();
  });
});
