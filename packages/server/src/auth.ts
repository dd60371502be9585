import { createHash, randomBytes } from 'node:crypto';
import { CtiError, ErrorCode, issuePath, parseOrThrow, peerProblem, scopeSchema, tokenName, tokenProblem, type Role, type Scope, type TokenInfo } from '@shuttle-cti/protocol';
import type { Store, TokenRecord } from '@shuttle-cti/store';

/** Tokens look like `sct_<22 chars>`; only their SHA-256 is stored. */
export function generateToken(): { id: string; secret: string; hash: string } {
  const secret = `sct_${randomBytes(24).toString('base64url')}`;
  return { id: randomBytes(6).toString('hex'), secret, hash: hashToken(secret) };
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface CreateTokenOptions {
  role: Role;
  peer?: string | undefined;
  name?: string | undefined;
  /** Protocol 1.2: limits an integration or supervisor token to queues and peers. */
  scope?: Scope | null | undefined;
}

/** Throws an Error naming the list and the name at fault when a scope is not valid; returns it checked. */
export function checkScope(scope: unknown): Scope {
  const result = scopeSchema.safeParse(scope);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`scope ${issue ? `${issuePath(issue.path)}: ${issue.message}` : 'is not valid'}`);
}

const invalid = (field: string, message: string): CtiError => new CtiError(ErrorCode.INVALID_PAYLOAD, `${field}: ${message}`, { field });

/**
 * Creates a token in the store and returns the secret, which is shown once and never
 * stored (CLI `token create`, `POST /api/v1/tokens`). A bad option is INVALID_PAYLOAD
 * naming it (`peer`, `scope`, `name`).
 */
export async function createToken(store: Store, options: CreateTokenOptions): Promise<{ secret: string; record: TokenRecord }> {
  const scoped = options.scope !== undefined && options.scope !== null;
  const rule = tokenProblem(options.role, options.peer === '' ? undefined : options.peer, scoped);
  if (rule !== undefined) throw invalid(rule.field, rule.message);
  const problem = options.peer === undefined ? undefined : peerProblem(options.peer);
  if (problem !== undefined) throw invalid('peer', `${problem}: ${JSON.stringify(options.peer)}`);
  if (options.name !== undefined) parseOrThrow(tokenName, options.name, 'name');
  let scope: Scope | null = null;
  try {
    scope = scoped ? checkScope(options.scope) : null;
  } catch (error) {
    throw invalid('scope', error instanceof Error ? error.message.replace(/^scope /, '') : 'is not valid');
  }
  const { id, secret, hash } = generateToken();
  const record = await store.createToken({
    id,
    role: options.role,
    peer: options.peer ?? null,
    name: options.name ?? `${options.role}-${id}`,
    hash,
    scope,
  });
  return { secret, record };
}

export async function authenticate(store: Store, secret: unknown): Promise<(TokenRecord & { hash: string }) | undefined> {
  if (typeof secret !== 'string' || secret.length === 0 || secret.length > 200) return undefined;
  const hash = hashToken(secret);
  const record = await store.findTokenByHash(hash);
  return record ? { ...record, hash } : undefined;
}

/**
 * Sets (or, with null, removes) an active token's scope, keeping its secret (CLI `token
 * scope`, `PUT /api/v1/tokens/{id}/scope`); connected sessions follow at the next token
 * re-check. NOT_FOUND when no active token has that id; INVALID_PAYLOAD for a role
 * without scopes or a bad scope.
 */
export async function changeTokenScope(store: Store, id: string, scope: Scope | null): Promise<TokenRecord> {
  const record = (await store.listTokens()).find((t) => t.id === id && t.revokedAt === null);
  if (!record) throw new CtiError(ErrorCode.NOT_FOUND, `no active token with id ${id}`, { field: 'id' });
  if (scope !== null) {
    const rule = tokenProblem(record.role, record.peer ?? undefined, true);
    if (rule !== undefined) throw invalid('scope', `${rule.message} (${id} is ${record.role})`);
  }
  let checked: Scope | null = null;
  try {
    checked = scope === null ? null : checkScope(scope);
  } catch (error) {
    throw invalid('scope', error instanceof Error ? error.message.replace(/^scope /, '') : 'is not valid');
  }
  if (!(await store.setTokenScope(id, checked))) throw new CtiError(ErrorCode.NOT_FOUND, `no active token with id ${id}`, { field: 'id' });
  return { ...record, scope: checked };
}

/** Revokes an active token (CLI `token revoke`, `DELETE /api/v1/tokens/{id}`); its sessions are cut at the next re-check. */
export async function revokeToken(store: Store, id: string): Promise<void> {
  if (!(await store.revokeToken(id))) throw new CtiError(ErrorCode.NOT_FOUND, `no active token with id ${id}`, { field: 'id' });
}

/** A token as listed (`GET /api/v1/tokens`): never its secret or hash. */
export function tokenInfoOf(t: TokenRecord): TokenInfo {
  return { id: t.id, role: t.role, name: t.name, peer: t.peer, scope: t.scope, createdAt: t.createdAt, revokedAt: t.revokedAt };
}
