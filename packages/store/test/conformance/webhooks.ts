import { describe, expect, it } from 'vitest';
import type { NewWebhook } from '../../src/webhooks/types.js';
import type { ConformanceContext } from './context.js';

const hook = (id: string, cursor = 0): NewWebhook => ({
  id,
  definition: { url: 'https://crm.example/hook', events: ['ringing', 'up'], queues: ['Sales'], enrich: true, enrichTimeoutMs: 500 },
  secret: `secret-of-${id}-0123456789`,
  cursor,
});

export function webhookTests(ctx: ConformanceContext): void {
  describe('webhooks', () => {
    it('creates, lists, gets and deletes webhooks', async () => {
      const store = ctx.store();
      const a = await store.createWebhook(hook('wh-a', 7));
      expect(a).toEqual({
        id: 'wh-a',
        definition: hook('wh-a').definition,
        secret: 'secret-of-wh-a-0123456789',
        state: 'enabled',
        cursor: 7,
        delivered: 0,
        failed: 0,
        dropped: 0,
        lastStatus: null,
        lastError: null,
        lastAt: null,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: a.createdAt,
      });
      expect(Math.abs(Date.parse(a.createdAt) - Date.now())).toBeLessThan(60_000);
      const b = await store.createWebhook(hook('wh-b'));
      expect((await store.listWebhooks()).map((w) => w.id)).toEqual(['wh-a', 'wh-b']);
      expect(await store.getWebhook('wh-b')).toEqual(b);
      expect(await store.deleteWebhook('wh-a')).toBe(true);
      expect(await store.deleteWebhook('wh-a')).toBe(false);
      expect(await store.getWebhook('wh-a')).toBeUndefined();
      expect((await store.listWebhooks()).map((w) => w.id)).toEqual(['wh-b']);
    });

    it('refuses a second webhook with the same id', async () => {
      const store = ctx.store();
      await store.createWebhook(hook('wh-a'));
      await expect(store.createWebhook(hook('wh-a'))).rejects.toThrow();
    });

    it('adds counts, moves the cursor only forward and keeps the last outcome', async () => {
      const store = ctx.store();
      await store.createWebhook(hook('wh-a', 10));
      expect(await store.recordWebhook('wh-a', { cursor: 12, delivered: 1, lastStatus: 200, lastError: null, lastAt: '2026-03-02T09:00:00.000Z' })).toBe(true);
      expect(await store.recordWebhook('wh-a', { cursor: 11, failed: 2, lastStatus: 500, lastError: 'x'.repeat(2000) })).toBe(true);
      expect(await store.recordWebhook('wh-a', { dropped: 1, state: 'disabled' })).toBe(true);
      const w = await store.getWebhook('wh-a');
      expect(w).toMatchObject({ cursor: 12, delivered: 1, failed: 2, dropped: 1, lastStatus: 500, state: 'disabled', lastAt: '2026-03-02T09:00:00.000Z' });
      expect(w?.lastError?.length).toBe(500);
      expect(await store.recordWebhook('nope', { delivered: 1 })).toBe(false);
    });

    it('leases a webhook to one owner at a time until the lease runs out', async () => {
      const store = ctx.store();
      await store.createWebhook(hook('wh-a'));
      expect(await store.leaseWebhook('wh-a', 'hub-1', 2000, 1000)).toBe(true);
      expect(await store.leaseWebhook('wh-a', 'hub-2', 2500, 1500)).toBe(false);
      // The holder renews; the other hub gets it only once the lease has run out.
      expect(await store.leaseWebhook('wh-a', 'hub-1', 3000, 1900)).toBe(true);
      expect(await store.leaseWebhook('wh-a', 'hub-2', 4000, 2999)).toBe(false);
      expect(await store.leaseWebhook('wh-a', 'hub-2', 4000, 3001)).toBe(true);
      expect(await store.getWebhook('wh-a')).toMatchObject({ leaseOwner: 'hub-2', leaseUntil: 4000 });
      // A hub that lost the lease records nothing.
      expect(await store.recordWebhook('wh-a', { cursor: 5 }, 'hub-1')).toBe(false);
      expect(await store.recordWebhook('wh-a', { cursor: 5 }, 'hub-2')).toBe(true);
      await store.releaseWebhook('wh-a', 'hub-1');
      expect((await store.getWebhook('wh-a'))?.leaseOwner).toBe('hub-2');
      await store.releaseWebhook('wh-a', 'hub-2');
      expect(await store.leaseWebhook('wh-a', 'hub-1', 5000, 3002)).toBe(true);
      expect(await store.leaseWebhook('nope', 'hub-1', 5000, 3002)).toBe(false);
    });

    it('keeps webhooks across a reopen', async () => {
      if (!ctx.reopen) return;
      const store = ctx.store();
      await store.createWebhook(hook('wh-a', 3));
      await store.recordWebhook('wh-a', { cursor: 9, delivered: 2 });
      const again = await ctx.reopen(store);
      expect(await again.getWebhook('wh-a')).toMatchObject({ cursor: 9, delivered: 2, secret: 'secret-of-wh-a-0123456789' });
    });
  });
}
