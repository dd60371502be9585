import { eventsPage, realtimePage, type CallEvent, type RealtimeRow } from '@shuttle-cti/protocol';
import { readAnswer, type AnswerSchema } from '../common/http-answer.js';

/** Reads from the hub's HTTP API with the supervisor token. */
export interface HubApi {
  realtime(query: { type?: string; before?: string; limit: number }): Promise<RealtimeRow[]>;
  eventsAfter(after: number, limit: number): Promise<CallEvent[]>;
}

/** `base` is the hub in use ('' for the page's own origin), read at each request. */
export function createHubApi(token: string, base: () => string = () => ''): HubApi {
  const get = async <T>(path: string, params: Record<string, string | number | undefined>, schema: AnswerSchema<T>): Promise<T> => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
    const response = await fetch(`${base()}${path}?${query.toString()}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
    });
    return readAnswer(response, schema);
  };
  return {
    async realtime({ type, before, limit }) {
      return (await get('/api/v1/realtime', { type, before, limit }, realtimePage)).rows;
    },
    async eventsAfter(after, limit) {
      // The stored stream also holds `agentstate` (protocol 1.2); the chart counts calls.
      const { events } = await get('/api/v1/events', { after, limit }, eventsPage);
      return events.filter((event): event is CallEvent => event.event !== 'agentstate');
    },
  };
}
