import { z } from 'zod';
import { Limits } from './limits.js';

/** C0 and C1 controls, and the invisible format characters (zero-width, bidirectional overrides, BOM). */
const invisible = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

/**
 * Why a peer name is refused, or undefined when it is fine. `SIP/alice ` and `SIP/alice`
 * look the same in a listing but are different peers: white space at either end and
 * characters that do not show are refused wherever a peer enters (tokens, commands, events).
 */
export function peerProblem(peer: string): string | undefined {
  if (peer !== peer.trim()) return 'a peer may not start or end with white space';
  if (invisible.test(peer)) return 'a peer may not contain control or invisible characters';
  return undefined;
}

/** A peer name: 1–256 characters, no white space at the ends, no control or invisible characters. */
export const peerName = z
  .string()
  .min(1, 'a peer is required')
  .max(Limits.identifierLength)
  .superRefine((peer, ctx) => {
    const problem = peerProblem(peer);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The peer as listings show it: every character outside printable ASCII as `\u{…}`, so
 * that `SIP/аlice` (Cyrillic а) cannot pass for `SIP/alice`.
 */
export function escapePeer(peer: string): string {
  let out = '';
  for (const ch of peer) {
    const code = ch.codePointAt(0) ?? 0;
    out += code >= 0x20 && code <= 0x7e && ch !== '\\' ? ch : ch === '\\' ? '\\\\' : `\\u{${code.toString(16)}}`;
  }
  return out;
}
