import type { CallEvent, RealtimeRow } from '@shuttle-cti/protocol';

/** Reads from the hub's HTTP API with the supervisor token. */
export interface HubApi {
  realtime(query: { type?: string; before?: string; limit: number }): Promise<RealtimeRow[]>;
  eventsAfter(after: number, limit: number): Promise<CallEvent[]>;
}

/** `base` is the hub in use ('' for the page's own origin), read at each request. */
export function createHubApi(token: string, base: () => string = () => ''): HubApi {
  const get = async <T>(path: string, params: Record<string, string | number | undefined>): Promise<T> => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
    const response = await fetch(`${base()}${path}?${query.toString()}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
    });
    const body = (await response.json().catch(() => undefined)) as (T & { error?: { message?: string } }) | undefined;
    if (!response.ok || body === undefined) {
      throw new Error(body?.error?.message ?? `the hub answered ${response.status}`);
    }
    return body;
  };
  return {
    async realtime({ type, before, limit }) {
      return (await get<{ rows: RealtimeRow[] }>('/api/v1/realtime', { type, before, limit })).rows;
    },
    async eventsAfter(after, limit) {
      return (await get<{ events: CallEvent[] }>('/api/v1/events', { after, limit })).events;
    },
  };
}
