import { createHash, randomBytes } from 'node:crypto';
import { issuePath, peerProblem, scopeSchema, type Role, type Scope } from '@shuttle-cti/protocol';
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

/** Creates a token in the store and returns the secret, which is shown once and never stored. */
export async function createToken(store: Store, options: CreateTokenOptions): Promise<{ secret: string; record: TokenRecord }> {
  if (options.role === 'agent' && !options.peer) throw new Error('an agent token needs a peer (e.g. SIP/andrea.bianco)');
  if (options.role !== 'agent' && options.peer) throw new Error('only agent tokens are bound to a peer');
  const problem = options.peer === undefined ? undefined : peerProblem(options.peer);
  if (problem !== undefined) throw new Error(`${problem}: ${JSON.stringify(options.peer)}`);
  const scoped = options.scope !== undefined && options.scope !== null;
  if (scoped && options.role !== 'integration' && options.role !== 'supervisor') throw new Error('only integration and supervisor tokens have a scope');
  const scope = scoped ? checkScope(options.scope) : null;
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
