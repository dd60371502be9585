/** `admin` (protocol 1.2) is HTTP only: it manages webhooks and tokens. */
export const roles = ['integration', 'agent', 'supervisor', 'source', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The socket.io namespace each role connects to (`source` and `admin` are HTTP only). */
export const namespaceOf = {
  integration: '/',
  agent: '/agent',
  supervisor: '/supervisor',
} as const satisfies Partial<Record<Role, string>>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
