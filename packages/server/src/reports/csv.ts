/**
 * Rows as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line break),
 * with a header line of the keys of `columns`. A text that a spreadsheet would run as a
 * formula (starting with = + - @) gets a leading apostrophe: agent and queue names come
 * from the PBX.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export const queueColumns = [
  'queue',
  'from',
  'to',
  'offered',
  'answered',
  'abandoned',
  'answeredWithinSla',
  'serviceLevel',
  'asa',
  'aht',
  'maxWait',
  'abandonRate',
] as const;

export const agentColumns = [
  'peer',
  'agentname',
  'from',
  'to',
  'offered',
  'answered',
  'ringNoAnswer',
  'talkSeconds',
  'aht',
  'outbound',
  'pausedSeconds',
] as const;
