import type { WebhookStore } from './types.js';
import { insertWebhookSql, leaseParams, leaseSql, recordWebhookSql, releaseSql, toWebhook, type WebhookRow } from './webhook-sql.js';

type Query = <R extends object>(text: string, params?: unknown[]) => Promise<{ rows: R[]; rowCount: number }>;

const p = (n: number): string => `$${n}`;

/**
 * Webhooks in PostgreSQL. The lease is one conditional UPDATE: of several hubs asking at
 * once, the row lock lets exactly one take a free or expired lease.
 */
export function createPostgresWebhooks(query: Query): WebhookStore {
  const get = async (id: string) => {
    const { rows } = await query<WebhookRow>('SELECT * FROM webhooks WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : toWebhook(rows[0]);
  };
  return {
    async createWebhook(w) {
      await query(insertWebhookSql(p), [w.id, JSON.stringify(w.definition), w.secret, w.cursor, new Date().toISOString()]);
      const created = await get(w.id);
      if (!created) throw new Error(`webhook ${w.id} was not stored`);
      return created;
    },
    async listWebhooks() {
      return (await query<WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id')).rows.map(toWebhook);
    },
    getWebhook: get,
    async deleteWebhook(id) {
      return (await query('DELETE FROM webhooks WHERE id = $1', [id])).rowCount > 0;
    },
    async recordWebhook(id, progress, owner) {
      const { text, params } = recordWebhookSql(id, progress, owner, p, 'greatest');
      return (await query(text, params)).rowCount > 0;
    },
    async leaseWebhook(id, owner, untilMs, nowMs) {
      return (await query(leaseSql(p), leaseParams(id, owner, untilMs, nowMs))).rowCount > 0;
    },
    async releaseWebhook(id, owner) {
      await query(releaseSql(p), [id, owner]);
    },
  };
}
