import { errorAnswer } from '@shuttle-cti/protocol';

/** A protocol schema, as far as reading an answer needs it. */
export interface AnswerSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * Reads an HTTP answer of the hub with its protocol schema. An error answer throws with
 * the hub's own message (`{ error: { code, message } }`); a body of another shape throws too.
 */
export async function readAnswer<T>(response: Response, schema: AnswerSchema<T>): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorAnswer.safeParse(body);
    throw new Error(error.success ? error.data.error.message : `the hub answered ${response.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`the hub answered ${response.status} with an unexpected body`);
  return parsed.data;
}
