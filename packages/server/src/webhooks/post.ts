/** What an endpoint answered: its status and (bounded) body, or why there is no answer. */
export type PostResult = { ok: true; status: number; body: string } | { ok: false; error: string };

/** Most of an answer read: commands and variables fit well within it; a larger answer is not parsed. */
const answerBytes = 64 * 1024;

/**
 * POSTs `body` to `url` and reads the answer, all within `timeoutMs` (an endpoint that
 * accepts the connection and never answers is cut off too). Redirects are not followed:
 * a webhook's URL is the one the operator registered.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, stop?: AbortSignal): Promise<PostResult> {
  const signal = stop ? AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal });
    const text = await readBounded(response);
    return { ok: true, status: response.status, body: text };
  } catch (error) {
    return { ok: false, error: describe(error, timeoutMs) };
  }
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > answerBytes) {
      await reader.cancel();
      return '';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'aborted';
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
