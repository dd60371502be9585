import { createHmac } from 'node:crypto';
import { WebhookHeaders } from '@shuttle-cti/protocol';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, as PROTOCOL.md "Webhooks" says. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The headers of one delivery; `seq` is absent for an enrichment request (the event is not numbered yet). */
export function deliveryHeaders(opts: { webhook: string; secret: string; event: string; seq?: number; body: string; now?: number }): Record<string, string> {
  const timestamp = Math.floor((opts.now ?? Date.now()) / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'shuttle-cti-webhook',
    [WebhookHeaders.webhook]: opts.webhook,
    [WebhookHeaders.event]: opts.event,
    ...(opts.seq === undefined ? { 'x-shuttle-enrich': 'true' } : { [WebhookHeaders.seq]: String(opts.seq) }),
    [WebhookHeaders.timestamp]: String(timestamp),
    [WebhookHeaders.signature]: signature(opts.secret, timestamp, opts.body),
  };
}
