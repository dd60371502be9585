import { CtiError, ErrorCode } from '@shuttle-cti/protocol';

/**
 * One AMI message (event, response or action) as a plain object, keys as Asterisk
 * sent them. A key that occurs more than once keeps every value, in order, as an
 * array; `ChanVariable`-style keys are always arrays, so code can rely on their shape.
 * The output of an old-style `Response: Follows` command is in `Output`, the key
 * Asterisk 14+ itself uses for command output.
 */
export type AmiValue = string | string[];
export type AmiMessage = Record<string, AmiValue>;

export type AmiFrame = { type: 'banner'; text: string } | { type: 'message'; message: AmiMessage };

export interface AmiParser {
  /** Feeds bytes as they arrive (split anywhere, even inside a UTF-8 character); returns the complete frames. */
  push(chunk: Uint8Array | string): AmiFrame[];
}

export interface AmiParserOptions {
  /**
   * The server greets with one line (`Asterisk Call Manager/13.0.0`) that is not a
   * message; a client parser expects it, a server parser (reading actions) does not.
   */
  expectBanner?: boolean;
  /** A line longer than this is a broken or hostile peer, not AMI. */
  maxLineLength?: number;
}

const endCommand = '--END COMMAND--';
/** Headers of a `Response: Follows` before its free-form command output starts. */
const followsHeaders = new Set(['Response', 'ActionID', 'Privilege', 'Message']);

/** Keys that carry one `name=value` per line and repeat: always arrays. */
export function isListKey(key: string): boolean {
  return key.endsWith('ChanVariable') || key === 'Output';
}

export function createAmiParser(options: AmiParserOptions = {}): AmiParser {
  const maxLine = options.maxLineLength ?? 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  let bannerExpected = options.expectBanner ?? true;
  let buffer = '';
  let headers: Array<[string, string]> = [];
  let follows = false;
  let inOutput = false;
  let output: string[] = [];

  function finish(frames: AmiFrame[]): void {
    const message: AmiMessage = {};
    for (const [key, value] of headers) add(message, key, value);
    if (follows) {
      const existing = message['Output'];
      message['Output'] = Array.isArray(existing) ? [...existing, ...output] : output;
    }
    frames.push({ type: 'message', message });
    headers = [];
    follows = false;
    inOutput = false;
    output = [];
  }

  function line(text: string, frames: AmiFrame[]): void {
    if (bannerExpected && headers.length === 0) {
      bannerExpected = false;
      if (!text.includes(': ')) {
        frames.push({ type: 'banner', text });
        return;
      }
    }
    if (follows) {
      // Command output may contain blank lines and "Key: value" text: only the end
      // marker (possibly glued to the last output line) closes it.
      if (text.endsWith(endCommand)) {
        const rest = text.slice(0, -endCommand.length);
        if (rest !== '') output.push(rest);
        finish(frames);
        return;
      }
      const colon = text.indexOf(': ');
      if (!inOutput && colon > 0 && followsHeaders.has(text.slice(0, colon))) {
        headers.push([text.slice(0, colon), text.slice(colon + 2)]);
      } else {
        inOutput = true;
        output.push(text);
      }
      return;
    }
    if (text === '') {
      if (headers.length > 0) finish(frames);
      return;
    }
    const [key, value] = splitHeader(text);
    if (headers.length === 0 && key === 'Response' && value === 'Follows') follows = true;
    headers.push([key, value]);
  }

  return {
    push(chunk) {
      buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const frames: AmiFrame[] = [];
      let start = 0;
      let newline = buffer.indexOf('\n', start);
      while (newline !== -1) {
        const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        line(buffer.slice(start, end), frames);
        start = newline + 1;
        newline = buffer.indexOf('\n', start);
      }
      buffer = start === 0 ? buffer : buffer.slice(start);
      if (buffer.length > maxLine) {
        throw new CtiError(ErrorCode.PAYLOAD_TOO_LARGE, `AMI line longer than ${maxLine} characters`);
      }
      return frames;
    },
  };
}

/** `Key: value` → [Key, value]; the value keeps any further ": " it contains. */
function splitHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon === -1) return ['Output', text];
  const value = text.charCodeAt(colon + 1) === 32 ? text.slice(colon + 2) : text.slice(colon + 1);
  return [text.slice(0, colon), value];
}

function add(message: AmiMessage, key: string, value: string): void {
  const existing = message[key];
  if (existing === undefined) message[key] = isListKey(key) ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else message[key] = [existing, value];
}

/** The first value of `key`, or undefined. */
export function amiField(message: AmiMessage, key: string): string | undefined {
  const value = message[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of `key`, in order (empty when absent). */
export function amiFieldAll(message: AmiMessage, key: string): string[] {
  const value = message[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export type AmiActionFields = Record<string, string | readonly string[] | undefined>;

/**
 * Serialises an action (or, for servers, a response or event). Values with a line
 * break would smuggle extra headers into the stream, so they are refused.
 */
export function formatAmiMessage(fields: AmiActionFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of typeof value === 'string' ? [value] : value) {
      if (/[\r\n]/.test(v) || /[\r\n:]/.test(key)) {
        throw new CtiError(ErrorCode.INVALID_PAYLOAD, `AMI ${key}: line breaks are not allowed`, { field: key });
      }
      out += `${key}: ${v}\r\n`;
    }
  }
  return `${out}\r\n`;
}
