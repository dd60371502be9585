import { describe, expect, it } from 'vitest';
import type { NewToken } from '../../src/store.js';
import type { ConformanceContext } from './context.js';

const agent: NewToken = { id: 'tok-agent', role: 'agent', peer: 'SIP/andrea.bianco', name: 'Andrea', hash: 'a'.repeat(64) };
const integration: NewToken = { id: 'tok-int', role: 'integration', peer: null, name: 'CRM', hash: 'b'.repeat(64) };

function isIsoNow(value: string): boolean {
  const ms = Date.parse(value);
  return new Date(ms).toISOString() === value && Math.abs(Date.now() - ms) < 60_000;
}

export function tokenTests(ctx: ConformanceContext): void {
  describe('tokens', () => {
    it('creates a token and finds it by hash', async () => {
      const store = ctx.store();
      const record = await store.createToken(agent);
      expect(record).toEqual({
        id: agent.id,
        role: 'agent',
        peer: agent.peer,
        name: agent.name,
        createdAt: record.createdAt,
        revokedAt: null,
        scope: null,
      });
      expect(record).not.toHaveProperty('hash');
      expect(isIsoNow(record.createdAt)).toBe(true);
      expect(await store.findTokenByHash(agent.hash)).toEqual(record);
      expect(await store.findTokenByHash('c'.repeat(64))).toBeUndefined();
    });

    it('lists tokens, revoked ones included', async () => {
      const store = ctx.store();
      const a = await store.createToken(agent);
      const b = await store.createToken(integration);
      expect(await store.revokeToken(b.id)).toBe(true);
      const list = await store.listTokens();
      expect(list.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
      expect(list.find((t) => t.id === a.id)).toEqual(a);
      const revoked = list.find((t) => t.id === b.id);
      expect(revoked?.peer).toBeNull();
      expect(isIsoNow(revoked?.revokedAt ?? '')).toBe(true);
    });

    it('lists the tokens revoked since a time, and only those', async () => {
      const store = ctx.store();
      const a = await store.createToken(agent);
      const b = await store.createToken(integration);
      expect(await store.revokedTokensSince('1970-01-01T00:00:00.000Z')).toEqual([]);
      const before = new Date(Date.now() - 1000).toISOString();
      expect(await store.revokeToken(b.id)).toBe(true);
      const revoked = await store.revokedTokensSince(before);
      expect(revoked.map((t) => t.id)).toEqual([b.id]);
      expect(isIsoNow(revoked[0]?.revokedAt ?? '')).toBe(true);
      expect(await store.revokedTokensSince(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
      expect(revoked.map((t) => t.id)).not.toContain(a.id);
    });

    it('does not find a revoked token, and revokes only once', async () => {
      const store = ctx.store();
      await store.createToken(agent);
      expect(await store.revokeToken(agent.id)).toBe(true);
      expect(await store.findTokenByHash(agent.hash)).toBeUndefined();
      expect(await store.revokeToken(agent.id)).toBe(false);
      expect(await store.revokeToken('no-such-token')).toBe(false);
    });

    it('refuses a second token with the same hash or id', async () => {
      const store = ctx.store();
      await store.createToken(agent);
      await expect(store.createToken({ ...integration, hash: agent.hash })).rejects.toThrow();
      await expect(store.createToken({ ...integration, id: agent.id })).rejects.toThrow();
      expect(await store.listTokens()).toHaveLength(1);
    });

    it('stores a scope with the token, changes and clears it without a new secret', async () => {
      const store = ctx.store();
      const scope = { queues: ['Sales', 'Support'], peers: ['SIP/a'] };
      const record = await store.createToken({ ...integration, scope });
      expect(record.scope).toEqual(scope);
      expect((await store.findTokenByHash(integration.hash))?.scope).toEqual(scope);
      const plain = await store.createToken(agent);
      expect(plain.scope).toBeNull();

      const before = new Date(Date.now() - 1000).toISOString();
      expect(await store.scopeChangedSince(before)).toEqual([]);
      expect(await store.setTokenScope(record.id, { queues: ['Billing'], peers: [] })).toBe(true);
      expect((await store.findTokenByHash(integration.hash))?.scope).toEqual({ queues: ['Billing'], peers: [] });
      const changed = await store.scopeChangedSince(before);
      expect(changed.map((c) => [c.id, c.scope])).toEqual([[record.id, { queues: ['Billing'], peers: [] }]]);
      expect(isIsoNow(changed[0]?.changedAt ?? '')).toBe(true);
      expect(await store.scopeChangedSince(new Date(Date.now() + 60_000).toISOString())).toEqual([]);

      expect(await store.setTokenScope(record.id, null)).toBe(true);
      expect((await store.listTokens()).find((t) => t.id === record.id)?.scope).toBeNull();
      expect((await store.scopeChangedSince(before)).map((c) => [c.id, c.scope])).toEqual([[record.id, null]]);

      expect(await store.setTokenScope('no-such-token', scope)).toBe(false);
      await store.revokeToken(record.id);
      expect(await store.setTokenScope(record.id, scope)).toBe(false);
    });

    it('keeps an empty scope apart from no scope', async () => {
      const store = ctx.store();
      const record = await store.createToken({ ...integration, scope: { queues: [], peers: [] } });
      expect(record.scope).toEqual({ queues: [], peers: [] });
      expect((await store.listTokens())[0]?.scope).toEqual({ queues: [], peers: [] });
    });
  });
}
