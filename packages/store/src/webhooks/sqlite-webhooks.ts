import type { SqliteStatement } from '../sqlite/database.js';
import type { WebhookStore } from './types.js';
import { insertWebhookSql, leaseParams, leaseSql, recordWebhookSql, releaseSql, toWebhook, type WebhookRow } from './webhook-sql.js';

const p = (): string => '?';

/** Webhooks in SQLite; `sql` is the store's statement cache. */
export function createSqliteWebhooks(sql: (text: string) => SqliteStatement): WebhookStore {
  const get = (id: string) => {
    const row = sql('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row === undefined ? undefined : toWebhook(row);
  };
  return {
    async createWebhook(w) {
      sql(insertWebhookSql(p)).run(w.id, JSON.stringify(w.definition), w.secret, w.cursor, new Date().toISOString());
      const created = get(w.id);
      if (!created) throw new Error(`webhook ${w.id} was not stored`);
      return created;
    },
    async listWebhooks() {
      return (sql('SELECT * FROM webhooks ORDER BY created_at, id').all() as WebhookRow[]).map(toWebhook);
    },
    async getWebhook(id) {
      return get(id);
    },
    async deleteWebhook(id) {
      return sql('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    },
    async recordWebhook(id, progress, owner) {
      const { text, params } = recordWebhookSql(id, progress, owner, p, 'max');
      return sql(text).run(...params).changes > 0;
    },
    async leaseWebhook(id, owner, untilMs, nowMs) {
      return sql(leaseSql(p)).run(...leaseParams(id, owner, untilMs, nowMs)).changes > 0;
    },
    async releaseWebhook(id, owner) {
      sql(releaseSql(p)).run(id, owner);
    },
  };
}
