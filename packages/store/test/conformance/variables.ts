import { describe, expect, it } from 'vitest';
import { at, type ConformanceContext } from './context.js';

export function variableTests(ctx: ConformanceContext): void {
  describe('variables', () => {
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
