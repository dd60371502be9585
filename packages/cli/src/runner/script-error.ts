import { relative } from 'node:path';

/** A broken integration script: reported as `file:line:column: message`, exit code 3. */
export class ScriptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly detail: string,
  ) {
    super(`${formatLocation(file, line, column)}: ${detail}`);
    this.name = 'ScriptError';
  }
}

export function formatLocation(file: string, line?: number, column?: number): string {
  const shown = displayPath(file);
  if (line === undefined) return shown;
  return column === undefined ? `${shown}:${line}` : `${shown}:${line}:${column}`;
}

/** Paths under the working directory are shown relative to it, as compilers do. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') ? rel : file;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The location of a SyntaxError thrown by `new vm.Script(source, { filename })`. V8 puts it
 * only in the stack: "file:LINE\n<source line>\n<spaces>^^^\n\nSyntaxError: ..."; the caret's
 * offset gives the column (reported 1-based, as editors count).
 */
export function syntaxErrorLocation(error: Error, file: string): { line?: number; column?: number } {
  const stack = error.stack ?? '';
  const match = new RegExp(`^${escapeRegExp(file)}:(\\d+)\\n.*\\n( *)\\^`, 'm').exec(stack);
  if (!match) return {};
  return { line: Number(match[1]), column: (match[2] ?? '').length + 1 };
}

/** The first stack frame inside `file`: where a script failed while loading. */
export function frameLocation(error: unknown, file: string): { line?: number; column?: number } {
  // Duck-typed: errors thrown inside a vm context are not `instanceof Error` here.
  const stack = typeof (error as { stack?: unknown } | null)?.stack === 'string' ? (error as { stack: string }).stack : '';
  const match = new RegExp(`${escapeRegExp(file)}(?:\\?[^:\\s)]*)?:(\\d+):(\\d+)`).exec(stack);
  if (!match) return {};
  return { line: Number(match[1]), column: Number(match[2]) };
}

/**
 * The location in an esbuild transform error as tsx reports it:
 * "Transform failed with 1 error:\n/path/x.ts:1:18: ERROR: Unexpected ";"" (esbuild counts
 * columns from 0; reported here from 1).
 */
export function transformErrorLocation(error: unknown): { file: string; line: number; column: number; detail: string } | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (!match) return undefined;
  return { file: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) + 1, detail: match[4] ?? '' };
}
