import { describe, expect, it } from 'vitest';
import { at, ringing, type ConformanceContext } from './context.js';

export function lifecycleTests(ctx: ConformanceContext): void {
  describe('lifecycle', () => {
    it('answers ping', async () => {
      await expect(ctx.store().ping()).resolves.toBeUndefined();
    });

    it('migrates again as a no-op, keeping the data', async () => {
      const store = ctx.store();
      const [event] = await store.appendEvents([ringing()]);
      await store.mergeVariables('call-1', { a: '1' }, at(0));
      await store.migrate();
      await store.migrate();
      expect(await store.eventsAfter(0, 10)).toEqual([event]);
      expect(await store.getVariables('call-1')).toEqual({ a: '1' });
    });

    it('rejects calls after close, and closes twice without error', async () => {
      const store = ctx.store();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.ping()).rejects.toThrow();
      await expect(store.eventsAfter(0, 1)).rejects.toThrow();
    });
  });
}
