import { callEventInput, eventFlag, isCallEventName, parseOrThrow } from '@shuttle-cti/protocol';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ExitCode, ExitError } from '../exit-codes.js';
import { formatLocation } from './script-error.js';

export type RecordedEvent = Record<string, unknown> & { event: string; seq: number; time: string; variables: Record<string, string> };

interface Raw {
  value: unknown;
  file: string;
  line: number | undefined;
}

async function readOne(file: string): Promise<Raw[]> {
  const text = await readFile(file, 'utf8');
  if (extname(file).toLowerCase() === '.jsonl') {
    const out: Raw[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      out.push({ value: parseJson(line, file, i + 1), file, line: i + 1 });
    });
    return out;
  }
  const value = parseJson(text, file, undefined);
  return (Array.isArray(value) ? value : [value]).map((v: unknown) => ({ value: v, file, line: undefined }));
}

function parseJson(text: string, file: string, line: number | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ExitError(ExitCode.USAGE, `${formatLocation(file, line)}: not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads recorded call events: a `.jsonl` file (one event per line), a `.json` file (one event
 * or an array), or a folder of such files taken in name order (the seed samples are one event
 * per file). Each event is checked as the hub's ingest checks it, then given what the hub
 * adds: `seq` (counting on from the previous one when absent), `time`, the event's flag, and
 * `variables` accumulated per call, as the hub attaches a call's custom variables to each of
 * its events.
 */
export async function readRecordedEvents(path: string): Promise<RecordedEvent[]> {
  let files: string[];
  try {
    const info = await stat(path);
    files = info.isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.jsonl?$/i.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (error) {
    throw new ExitError(ExitCode.USAGE, `cannot read events from ${path}: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new ExitError(ExitCode.USAGE, `no .json or .jsonl files in ${path}`);

  const raws: Raw[] = [];
  for (const file of files) raws.push(...(await readOne(file)));

  const events: RecordedEvent[] = [];
  const callVariables = new Map<string, Record<string, string>>();
  let seq = 0;
  for (const raw of raws) {
    try {
      parseOrThrow(callEventInput, raw.value, 'event');
    } catch (error) {
      throw new ExitError(ExitCode.USAGE, `${formatLocation(raw.file, raw.line)}: ${(error as Error).message}`);
    }
    const input = raw.value as Record<string, unknown> & { event: string; uniqueid: string };
    seq = typeof input['seq'] === 'number' ? input['seq'] : seq + 1;
    const variables = { ...(callVariables.get(input.uniqueid) ?? {}), ...((input['variables'] as Record<string, string> | undefined) ?? {}) };
    callVariables.set(input.uniqueid, variables);
    const flag = isCallEventName(input.event) ? eventFlag[input.event] : input.event;
    events.push({
      ...input,
      [flag]: true,
      seq,
      time: typeof input['time'] === 'string' ? input['time'] : new Date().toISOString(),
      variables,
    });
    if (input.event === 'hangup' || input.event === 'abandon') callVariables.delete(input.uniqueid);
  }
  return events;
}
