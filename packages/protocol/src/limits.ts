/** Documented size limits (PROTOCOL.md "Sizes are bounded"). */
export const Limits = {
  /** Longest URL accepted in AgentCTI / RealtimeCTI. */
  urlLength: 2048,
  /** Largest command or event, as JSON text. */
  payloadBytes: 16 * 1024,
  /** Longest peer name, queue name, uniqueid and other identifiers. */
  identifierLength: 256,
  notificationTitleLength: 256,
  notificationBodyLength: 4096,
  /** Longest string value of a call-event field or custom variable. */
  fieldLength: 1024,
  /** Most custom variables one call may carry. */
  variablesPerCall: 64,
  /** Most bytes (UTF-8 names and values together) of one call's custom variables, over every update it gets. */
  variablesBytesPerCall: 16 * 1024,
  /** Most events in one POST /api/v1/events. */
  eventsPerRequest: 1000,
  /** Longest client-chosen command id. */
  commandIdLength: 128,
  /** Longest `eventid` a source may give an event (idempotent ingest). */
  eventIdLength: 128,
} as const;

const nonAscii = /[\u0080-\uffff]/;

/** Size of a value as UTF-8 JSON text; Infinity when it cannot be serialised. */
export function jsonByteLength(value: unknown): number {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return 0;
    // Most payloads are ASCII, one byte a character: one regular-expression scan (native)
    // instead of the loop below, which was 1% of the hub's CPU at 1,000 events/s.
    if (!nonAscii.test(text)) return text.length;
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
