import { Limits } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import { at, type ConformanceContext } from './context.js';

export function variableTests(ctx: ConformanceContext): void {
  describe('variables', () => {
    it('holds a call to 64 variables and 16 KiB of them over every update, refusing the excess with the field named', async () => {
      const store = ctx.store();
      const batch = (from: number, count: number, size = 10) =>
        Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${from + i}`, 'x'.repeat(size)]));
      await store.mergeVariables('call-many', batch(0, 40), at(0));
      await expect(store.mergeVariables('call-many', batch(40, 40), at(1))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'variables' });
      expect(Object.keys(await store.getVariables('call-many'))).toHaveLength(40);
      // Overwriting and removing keys is always possible, and frees room.
      await store.mergeVariables('call-many', { ...batch(0, 10, 1), v10: '', v11: '' }, at(2));
      expect(Object.keys(await store.mergeVariables('call-many', batch(40, 26), at(3)))).toHaveLength(Limits.variablesPerCall);

      // 40 updates of 1,000-character values: the size limit holds across them too.
      let accepted = 0;
      for (let i = 0; i < 40; i += 1) {
        try {
          await store.mergeVariables('call-big', batch(i, 1, 1000), at(i));
          accepted += 1;
        } catch (error) {
          expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'variables' });
        }
      }
      expect(accepted).toBe(16);
      const big = await store.getVariables('call-big');
      expect(JSON.stringify(big).length).toBeLessThan(Limits.variablesBytesPerCall + 1000);
      // One update over the size on a new call is refused too, and leaves nothing behind.
      await expect(store.mergeVariables('call-huge', batch(0, 20, 1000), at(0))).rejects.toMatchObject({ field: 'variables' });
      expect(await store.getVariables('call-huge')).toEqual({});
    });

    it('has none for an unknown call', async () => {
      expect(await ctx.store().getVariables('1599601698.1')).toEqual({});
    });

    it('merges, overwrites, and removes a key given an empty string', async () => {
      const store = ctx.store();
      expect(await store.mergeVariables('call-1', { crmid: '42', lang: 'it' }, at(0))).toEqual({
        crmid: '42',
        lang: 'it',
      });
      expect(await store.mergeVariables('call-1', { lang: 'en', vip: 'yes' }, at(1))).toEqual({
        crmid: '42',
        lang: 'en',
        vip: 'yes',
      });
      expect(await store.mergeVariables('call-1', { crmid: '', missing: '' }, at(2))).toEqual({
        lang: 'en',
        vip: 'yes',
      });
      expect(await store.getVariables('call-1')).toEqual({ lang: 'en', vip: 'yes' });
      expect(await store.mergeVariables('call-1', {}, at(3))).toEqual({ lang: 'en', vip: 'yes' });
    });

    it('keeps calls apart and ignores removals on a new call', async () => {
      const store = ctx.store();
      await store.mergeVariables('call-a', { k: 'a' }, at(0));
      expect(await store.mergeVariables('call-b', { k: '', j: 'b' }, at(0))).toEqual({ j: 'b' });
      expect(await store.getVariables('call-a')).toEqual({ k: 'a' });
      expect(await store.getVariables('call-b')).toEqual({ j: 'b' });
    });

    it('keeps values with quotes, unicode and JSON-looking text as they are', async () => {
      const store = ctx.store();
      const odd = { quote: 'say "hi"', path: 'C:\\crm\\', unicode: 'Zoë ☎', json: '{"a":1}', comma: 'a,b' };
      expect(await store.mergeVariables('call-odd', odd, at(0))).toEqual(odd);
      expect(await store.getVariables('call-odd')).toEqual(odd);
    });

    it('loses no key when merges of one call run at once', async () => {
      const store = ctx.store();
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((k, i) => store.mergeVariables('call-c', { [k]: String(i) }, at(i))));
      expect(await store.getVariables('call-c')).toEqual(Object.fromEntries(keys.map((k, i) => [k, String(i)])));
    });

    it('prunes calls not updated since a time', async () => {
      const store = ctx.store();
      await store.mergeVariables('old', { a: '1' }, at(0));
      await store.mergeVariables('refreshed', { a: '1' }, at(0));
      await store.mergeVariables('refreshed', { b: '2' }, at(20));
      await store.mergeVariables('new', { a: '1' }, at(10));
      expect(await store.pruneVariablesBefore(at(10))).toBe(1);
      expect(await store.getVariables('old')).toEqual({});
      expect(await store.getVariables('refreshed')).toEqual({ a: '1', b: '2' });
      expect(await store.getVariables('new')).toEqual({ a: '1' });
      expect(await store.pruneVariablesBefore(at(10))).toBe(0);
    });
  });
}
