import type { z } from 'zod';
import { CtiError, ErrorCode } from './errors.js';

/** Dotted path of a zod issue, e.g. `channel.time` or `[2].holdtime`. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Parses `input` with `schema`; on failure throws a CtiError INVALID_PAYLOAD naming the
 * first field at fault.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? issuePath(issue.path) : '';
  const detail = issue ? describeIssue(issue, input) : 'invalid';
  throw new CtiError(
    ErrorCode.INVALID_PAYLOAD,
    field === '' ? `${what}: ${detail}` : `${what}: ${field}: ${detail}`,
    field === '' ? {} : { field },
  );
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return 'is required';
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'event') {
    return 'unknown event';
  }
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
