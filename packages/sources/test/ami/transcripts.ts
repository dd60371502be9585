import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallEventInput } from '@shuttle-cti/protocol';

/** The recorded Asterisk transcripts, kept byte for byte in the repository's fixtures/. */
export const fixturesDir =
  process.env['SHUTTLE_AMI_FIXTURES'] ?? fileURLToPath(new URL('../../../../fixtures/asterisk-ami/', import.meta.url));

export interface TranscriptLine {
  conn: number;
  t: number;
  dir: 'server' | 'client';
  raw: string;
}

export interface Transcript {
  name: string;
  lines: TranscriptLine[];
  expected: CallEventInput[];
}

export function transcriptNames(dir = fixturesDir): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

export function loadTranscript(name: string, dir = fixturesDir): Transcript {
  const lines = readFileSync(`${dir}/${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TranscriptLine);
  const expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8')) as CallEventInput[];
  return { name, lines, expected };
}

/** Everything the server sent on one connection, as one string. */
export function serverStream(transcript: Transcript, conn: number): string {
  return transcript.lines
    .filter((l) => l.conn === conn && l.dir === 'server')
    .map((l) => l.raw)
    .join('');
}

export function connections(transcript: Transcript): number[] {
  return [...new Set(transcript.lines.map((l) => l.conn))].sort((a, b) => a - b);
}

/**
 * The events without their `eventid`, to compare with the recorded `.expected.json`
 * (which predate event ids; the ids are checked on their own).
 */
export function withoutIds<T extends object>(events: readonly T[]): Array<Omit<T, 'eventid'>> {
  return events.map((event) => {
    const { eventid: _id, ...rest } = event as T & { eventid?: unknown };
    return rest;
  });
}
