import type { StreamEvent } from '@shuttle-cti/protocol';
import type { StoredWebhookDefinition } from '@shuttle-cti/store';

/** Whether a webhook wants an event: its name is in `events` and, with `queues`, its queue is one of them. */
export function wants(definition: StoredWebhookDefinition, event: Pick<StreamEvent, 'event'> & { queue?: unknown }): boolean {
  if (!(definition.events as readonly string[]).includes(event.event)) return false;
  if (definition.queues === undefined || definition.queues.length === 0) return true;
  return typeof event.queue === 'string' && definition.queues.includes(event.queue);
}
