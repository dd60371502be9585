/** `admin` (protocol 1.2) is HTTP only: it manages webhooks and tokens. */
export const roles = ['integration', 'agent', 'supervisor', 'source', 'admin'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
