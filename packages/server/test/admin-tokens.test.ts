/**
 * Token management over HTTP (protocol 1.2, role admin): `/api/v1/tokens` against a real
 * hub, with real socket.io sessions of the tokens it creates, rescopes and revokes.
 */
import { queueReport, tokenAnswer, tokenCreated, tokenList, tokenRevoked, type Welcome } from '@shuttle-cti/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/auth.js';
import { createLogger } from '../src/logger.js';
import { collect, connectClient, nextEvent, startTestHub, until, type TestHub } from './helpers.js';
import { queueCall } from './scopes/helpers.js';

let t: TestHub;
let admin: string;
const logLines: string[] = [];
beforeAll(async () => {
  const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
  t = await startTestHub({ config: { tokenRecheckMs: 50 }, logger });
  admin = (await createToken(t.hub.store, { role: 'admin', name: 'ops' })).secret;
});
afterAll(async () => {
  await t.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}
async function api(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const res = await fetch(`${t.url}/api/v1/tokens${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}
const errorOf = (a: Answer) => a.body['error'] as { code: string; message: string; field?: string };

describe('/api/v1/tokens', () => {
  it('needs an admin token: none is 401, every other role 403 FORBIDDEN', async () => {
    const calls: [string, string, unknown][] = [
      ['GET', '', undefined],
      ['POST', '', { role: 'integration' }],
      ['DELETE', '/abc', undefined],
      ['PUT', '/abc/scope', { queues: ['Sales'] }],
    ];
    const before = (await t.hub.store.listTokens()).length;
    for (const [method, path, body] of calls) {
      const none = await api(method, path, undefined, body);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(errorOf(none).code).toBe('UNAUTHORIZED');
      for (const role of ['integration', 'agent', 'supervisor', 'source'] as const) {
        const refused = await api(method, path, t.tokens[role], body);
        expect(refused.status, `${method} ${path} as ${role}`).toBe(403);
        expect(errorOf(refused).code).toBe('FORBIDDEN');
      }
    }
    // Nothing was created by the refused requests.
    expect((await t.hub.store.listTokens()).length).toBe(before);
  });

  it('creates a scoped integration token that connects; a scope change reaches its session; a revoke cuts it', async () => {
    const created = await api('POST', '', admin, { role: 'integration', name: 'crm', queues: ['Sales'] });
    expect(created.status).toBe(201);
    const { token, secret } = tokenCreated.parse(created.body);
    expect(secret).toMatch(/^sct_/);
    expect(token).toMatchObject({ role: 'integration', name: 'crm', peer: null, scope: { queues: ['Sales'], peers: [] }, revokedAt: null });

    // Listed, never with a secret or a hash.
    const listed = await api('GET', '', admin);
    expect(listed.status).toBe(200);
    const list = tokenList.parse(listed.body).tokens;
    expect(list.find((x) => x.id === token.id)).toEqual(token);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toMatch(/sct_|"hash"/);
    for (const other of Object.values(t.tokens)) expect(listed.text).not.toContain(other);

    // The secret connects over socket.io, with the scope.
    const socket = await connectClient(t.url, '/', { token: secret });
    expect((await nextEvent<Welcome>(socket, 'welcome')).scope).toEqual({ queues: ['Sales'], peers: [] });
    const got = collect<{ queue?: string }>(socket, ['ringing']);
    await until(async () => {
      await t.ingest([queueCall('Sales', 'SIP/s1', false)[0]]);
      return got.length > 0;
    }, 5000, 'a Sales ringing');

    // Rescoped over HTTP to Billing: the connected session follows.
    const rescoped = await api('PUT', `/${token.id}/scope`, admin, { queues: ['Billing'] });
    expect(rescoped.status).toBe(200);
    expect(tokenAnswer.parse(rescoped.body).token.scope).toEqual({ queues: ['Billing'], peers: [] });
    await until(async () => {
      await t.ingest([queueCall('Sales', 'SIP/s1', false)[0], queueCall('Billing', 'SIP/b1', false)[0]]);
      return got.some((e) => e.queue === 'Billing');
    }, 5000, 'a Billing ringing after the change');
    const firstBilling = got.findIndex((e) => e.queue === 'Billing');
    expect(got.slice(firstBilling).every((e) => e.queue === 'Billing')).toBe(true);

    // Cleared with null: every queue again.
    const cleared = await api('PUT', `/${token.id}/scope`, admin, null);
    expect(cleared.status).toBe(200);
    expect(tokenAnswer.parse(cleared.body).token.scope).toBeNull();
    await until(async () => {
      await t.ingest([queueCall('Support', 'SIP/x', false)[0]]);
      return got.some((e) => e.queue === 'Support');
    }, 5000, 'an event of any queue');

    // Revoked: the session is told and disconnected, the secret refused from then on.
    const told = nextEvent<{ code: string }>(socket, 'cti_error', 10_000);
    const gone = nextEvent(socket, 'disconnect', 10_000);
    const revoked = await api('DELETE', `/${token.id}`, admin);
    expect(revoked.status).toBe(200);
    expect(tokenRevoked.parse(revoked.body)).toEqual({ ok: true, id: token.id });
    expect((await told).code).toBe('UNAUTHORIZED');
    await gone;
    await expect(connectClient(t.url, '/', { token: secret })).rejects.toThrow();
    const after = tokenList.parse((await api('GET', '', admin)).body).tokens.find((x) => x.id === token.id);
    expect(after?.revokedAt).toEqual(expect.any(String));

    // A revoked token is no longer there to revoke or rescope.
    for (const again of [await api('DELETE', `/${token.id}`, admin), await api('PUT', `/${token.id}/scope`, admin, { clear: true })]) {
      expect(again.status).toBe(404);
      expect(errorOf(again)).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
  });

  it('creates agent, supervisor, source and admin tokens; an admin token is HTTP only', async () => {
    const agent = await api('POST', '', admin, { role: 'agent', peer: 'SIP/andrea.bianco' });
    expect(agent.status).toBe(201);
    const agentToken = tokenCreated.parse(agent.body);
    expect(agentToken.token).toMatchObject({ peer: 'SIP/andrea.bianco', scope: null });
    expect(agentToken.token.name).toBe(`agent-${agentToken.token.id}`);
    const panel = await connectClient(t.url, '/agent', { token: agentToken.secret });
    panel.close();

    const sup = tokenCreated.parse((await api('POST', '', admin, { role: 'supervisor', peers: ['SIP/a'] })).body);
    expect(sup.token.scope).toEqual({ queues: [], peers: ['SIP/a'] });
    expect((await api('POST', '', admin, { role: 'source' })).status).toBe(201);

    // An admin may create an admin token (to hand over or rotate its own), which works at once.
    const second = tokenCreated.parse((await api('POST', '', admin, { role: 'admin', name: 'ops-2' })).body);
    expect((await api('GET', '', second.secret)).status).toBe(200);
    await expect(connectClient(t.url, '/', { token: second.secret })).rejects.toThrow();
    await expect(connectClient(t.url, '/supervisor', { token: second.secret })).rejects.toThrow();
  });

  it('refuses bad bodies naming the field; nothing is created', async () => {
    const before = (await t.hub.store.listTokens()).length;
    const cases: [unknown, string][] = [
      [{ role: 'root' }, 'role'],
      [{}, 'role'],
      [{ role: 'agent' }, 'peer'],
      [{ role: 'supervisor', peer: 'SIP/a' }, 'peer'],
      [{ role: 'agent', peer: 'SIP/a ' }, 'peer'],
      [{ role: 'agent', peer: 'SIP/a', queues: ['Sales'] }, 'queues'],
      [{ role: 'source', peers: ['SIP/a'] }, 'peers'],
      [{ role: 'integration', queues: ['Sales\r\nAction: Originate'] }, 'queues[0]'],
      [{ role: 'integration', peers: ['SIP/a', 'SIP/b\n'] }, 'peers[1]'],
      [{ role: 'integration', queues: 'Sales' }, 'queues'],
      [{ role: 'integration', name: 'crm\r\nx' }, 'name'],
      [{ role: 'integration', name: '' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const refused = await api('POST', '', admin, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(refused), JSON.stringify(body)).toMatchObject({ code: 'INVALID_PAYLOAD', field });
    }
    const unknownKey = await api('POST', '', admin, { role: 'integration', secret: 'sct_mine' });
    expect(unknownKey.status).toBe(400);
    expect(errorOf(unknownKey).message).toContain('secret');
    const broken = await api('POST', '', admin, '{"role":');
    expect(errorOf(broken).code).toBe('INVALID_JSON');
    expect((await t.hub.store.listTokens()).length).toBe(before);

    // Scope bodies.
    const { record } = await createToken(t.hub.store, { role: 'supervisor', name: 'to-scope' });
    const agentId = (await createToken(t.hub.store, { role: 'agent', peer: 'SIP/z', name: 'no-scope' })).record.id;
    const scopeCases: [string, unknown, string][] = [
      [record.id, {}, 'queues'],
      [record.id, { clear: true, queues: ['Sales'] }, 'clear'],
      [record.id, { clear: false }, 'clear'],
      [record.id, { queues: ['Sa\nles'] }, 'queues[0]'],
      [record.id, { peers: [' SIP/a'] }, 'peers[0]'],
      [agentId, { queues: ['Sales'] }, 'scope'],
    ];
    for (const [id, body, field] of scopeCases) {
      const refused = await api('PUT', `/${id}/scope`, admin, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(refused), JSON.stringify(body)).toMatchObject({ code: 'INVALID_PAYLOAD', field });
    }
    expect((await t.hub.store.listTokens()).find((x) => x.id === record.id)?.scope).toBeNull();
  });

  it('an admin token reads the reports (protocol 1.2 "Reports": supervisor or admin), unscoped', async () => {
    const report = async (token: string): Promise<Response> => fetch(`${t.url}/api/v1/reports/queues?interval=total`, { headers: { authorization: `Bearer ${token}` } });
    const asAdmin = await report(admin);
    expect(asAdmin.status).toBe(200);
    const rows = queueReport.parse(await asAdmin.json()).rows;
    const asSupervisor = queueReport.parse(await (await report(t.tokens.supervisor)).json()).rows;
    // The same figures as an unscoped supervisor's (`to` is "now", so the intervals differ by the time between the two).
    const figures = (r: (typeof rows)[number]) => [r.queue, r.offered, r.answered, r.abandoned];
    expect(rows.map(figures)).toEqual(asSupervisor.map(figures));
    expect(rows.map((r) => r.queue)).toContain('Sales');
    expect((await report(t.tokens.integration)).status).toBe(403);
  });

  it('logs what it did, never a secret', async () => {
    const { secret } = tokenCreated.parse((await api('POST', '', admin, { role: 'integration', name: 'logged' })).body);
    await until(() => logLines.some((l) => l.includes('token created over HTTP')), 5000, 'the log line');
    const all = logLines.join('');
    expect(all).toContain('token revoked over HTTP');
    expect(all).toContain('token scope changed over HTTP');
    for (const s of [secret, admin, ...Object.values(t.tokens)]) expect(all).not.toContain(s);
    expect(all).not.toContain('sct_');
  });
});
