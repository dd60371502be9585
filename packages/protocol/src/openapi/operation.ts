import type { Role } from '../roles.js';
import type { HttpComponentName } from './components.js';

/** How the document's operations are written (document.ts, admin-operations.ts). */

/** The methods the hub's routes use, in the order the document lists them. */
export const methods = ['get', 'post', 'put', 'delete'] as const;
export type Method = (typeof methods)[number];

export interface Answer {
  description: string;
  schema?: HttpComponentName;
  /** Another media type than JSON (CSV, HTML, Prometheus text). */
  text?: string;
}

export interface Operation {
  summary: string;
  /** Who may call it; none: no token needed. */
  roles?: readonly Role[];
  params?: readonly Param[];
  body?: HttpComponentName;
  ok: Record<number, Answer>;
  /** Error statuses, answered with `{ error: { code, message, field? } }` (or the ack's `{ ok: false, error }`). */
  errors?: readonly number[];
  /** Errors are answered in the ack's shape rather than as `{ error }`. */
  ackErrors?: boolean;
}

export interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  schema: Record<string, unknown>;
}

/** A path's operations by method; a method the path does not take is absent (or undefined). */
export type PathItem = { [M in Method]?: Operation | undefined };

export const path = (name: string, description: string): Param => ({ name, in: 'path', description, schema: { type: 'string' } });
export const query = (name: string, description: string, schema: Param['schema'] = { type: 'string' }): Param => ({ name, in: 'query', description, schema });
