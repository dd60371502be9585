import { createHash } from 'node:crypto';
import { Limits } from '@shuttle-cti/protocol';

/**
 * The `eventid` of a call event from Asterisk, made of the PBX's own identifiers: the
 * caller's `Uniqueid`, the event's kind and what tells two such events of one call apart
 * (the member channel's `Uniqueid` — a member rung twice has two channels — or the
 * queue of an abandon). The same PBX facts give the same id in any hub process, so an
 * event the hub published before a restart and learns again when resynchronising is
 * recognised by the hub's ingest and not published twice.
 */
export function amiEventId(uniqueid: string, kind: string, part?: string): string {
  const id = part === undefined ? `ami:${uniqueid}:${kind}` : `ami:${uniqueid}:${kind}:${part}`;
  if (id.length <= Limits.eventIdLength) return id;
  // Uniqueids are short (`1795976039.14`, or with a system name prefix); this is for the odd long one.
  return `ami:sha256:${createHash('sha256').update(id).digest('hex')}`;
}
