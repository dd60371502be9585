import { z } from 'zod';
import { peerName } from './peer.js';
import { roles, type Role } from './roles.js';
import { scopeMaxNames, scopeQueueName, scopeSchema } from './scope.js';

/**
 * Token management over HTTP (protocol 1.2, role `admin`): the bodies and answers of
 * `/api/v1/tokens`. The rules that tie a role to a peer and a scope are written once
 * (`tokenProblem`) and applied by the schema here and by the hub's `createToken`, which
 * the CLI's `token create` uses too.
 */

/** The roles a scope applies to. */
export const scopedRoles = ['integration', 'supervisor'] as const satisfies readonly Role[];

export const TokenLimits = { nameLength: 128 } as const;

const controlChars = /[\u0000-\u001f\u007f-\u009f]/;

/** A token's label: 1–128 characters, no CR, LF or other control character. */
export const tokenName = z
  .string()
  .min(1, 'a name may not be empty')
  .max(TokenLimits.nameLength, `a name has at most ${TokenLimits.nameLength} characters`)
  .refine((n) => !controlChars.test(n), 'a name may not contain CR, LF or other control characters');

/**
 * Why a token of `role` may not have this peer or a scope, naming the field at fault
 * (`peer` or `scope`), or undefined when it may.
 */
export function tokenProblem(role: Role, peer: string | undefined, scoped: boolean): { field: 'peer' | 'scope'; message: string } | undefined {
  if (role === 'agent' && (peer === undefined || peer === '')) return { field: 'peer', message: 'an agent token needs a peer (e.g. SIP/andrea.bianco)' };
  if (role !== 'agent' && peer !== undefined) return { field: 'peer', message: 'only agent tokens are bound to a peer' };
  if (scoped && !(scopedRoles as readonly string[]).includes(role)) return { field: 'scope', message: 'only integration and supervisor tokens have a scope' };
  return undefined;
}

const queueList = z.array(scopeQueueName).max(scopeMaxNames, `at most ${scopeMaxNames} queues`);
const peerList = z.array(peerName).max(scopeMaxNames, `at most ${scopeMaxNames} peers`);

/**
 * `POST /api/v1/tokens`: `queues` and/or `peers` make a scoped token (one of them alone
 * leaves the other list empty), as `token create --queues … --peers …` does.
 */
export const tokenCreateBody = z
  .strictObject({
    role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
    name: tokenName.optional(),
    peer: peerName.optional(),
    queues: queueList.optional(),
    peers: peerList.optional(),
  })
  .superRefine((body, ctx) => {
    const scoped = body.queues !== undefined || body.peers !== undefined;
    const problem = tokenProblem(body.role, body.peer, scoped);
    if (problem === undefined) return;
    const field = problem.field === 'peer' ? 'peer' : body.queues !== undefined ? 'queues' : 'peers';
    ctx.addIssue({ code: 'custom', path: [field], message: problem.message });
  });
export type TokenCreateBody = z.infer<typeof tokenCreateBody>;

/**
 * `PUT /api/v1/tokens/{id}/scope`: `{ queues, peers }` (either may be left out: empty)
 * sets the scope; `{ clear: true }` (or the JSON `null`) removes it.
 */
export const tokenScopeObject = z
  .strictObject({
    queues: queueList.optional(),
    peers: peerList.optional(),
    clear: z.literal(true, { error: 'clear is true or left out' }).optional(),
  })
  .superRefine((body, ctx) => {
    const scoped = body.queues !== undefined || body.peers !== undefined;
    if (body.clear === true && scoped) ctx.addIssue({ code: 'custom', path: ['clear'], message: 'clear goes alone, without queues or peers' });
    if (body.clear === undefined && !scoped) ctx.addIssue({ code: 'custom', path: ['queues'], message: 'give queues and/or peers, or clear: true' });
  });
export const tokenScopeBody = z.union([z.null(), tokenScopeObject]);
export type TokenScopeBody = z.infer<typeof tokenScopeBody>;

/** A token as `GET /api/v1/tokens` and `token list --json` show it: never its secret or hash. */
export const tokenInfo = z.object({
  id: z.string(),
  role: z.enum(roles),
  name: z.string(),
  peer: z.string().nullable(),
  scope: scopeSchema.nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof tokenInfo>;

/** `GET /api/v1/tokens`: every token, revoked ones too (their `revokedAt` set), oldest first. */
export const tokenList = z.object({ tokens: z.array(tokenInfo) });
export type TokenList = z.infer<typeof tokenList>;

/** `POST /api/v1/tokens` (201): the token, and its secret, shown this once and stored only as a hash. */
export const tokenCreated = z.object({ token: tokenInfo, secret: z.string() });
export type TokenCreated = z.infer<typeof tokenCreated>;

/** `PUT /api/v1/tokens/{id}/scope`: the token with its new scope (the same secret). */
export const tokenAnswer = z.object({ token: tokenInfo });
export type TokenAnswer = z.infer<typeof tokenAnswer>;

/** `DELETE /api/v1/tokens/{id}`: revoked; its sessions are disconnected within the re-check interval. */
export const tokenRevoked = z.object({ ok: z.literal(true), id: z.string() });
export type TokenRevoked = z.infer<typeof tokenRevoked>;
