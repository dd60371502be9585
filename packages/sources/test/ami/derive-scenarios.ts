/**
 * Builds the reconnect scenarios of fixtures/asterisk-ami-resync/ from the recorded
 * transcripts, the way 07 was recorded: a scenario's first connection is a recording
 * cut where the connection drops; what Asterisk sent during the gap is lost; the second
 * connection logs in (07's recorded login), resynchronises (08's recorded QueueStatus,
 * and CoreShowChannels in 07's recorded shape with the scenario's own channels, as the
 * gap left them) and goes on with the recording. Every message is Asterisk's own text;
 * only ActionIDs, `t` and the listed channels' values are the scenario's.
 *
 *   npx tsx packages/sources/test/ami/derive-scenarios.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallEventInput } from '@shuttle-cti/protocol';
import { amiField, createAmiParser, type AmiMessage } from '../../src/ami/parser.js';
import { loadTranscript, type Transcript, type TranscriptLine } from './transcripts.js';

export const resyncFixturesDir = fileURLToPath(new URL('../../../../fixtures/asterisk-ami-resync/', import.meta.url));

function parse(raw: string): AmiMessage {
  const [frame] = createAmiParser({ expectBanner: false }).push(raw);
  return frame?.type === 'message' ? frame.message : {};
}

const field = (line: TranscriptLine, key: string): string | undefined => amiField(parse(line.raw), key);
const isEvent = (line: TranscriptLine, name: string): boolean => line.dir === 'server' && field(line, 'Event') === name;
const renumber = (id: string) => (line: TranscriptLine): TranscriptLine => ({ ...line, raw: line.raw.replace(/ActionID: cti-\d+/, `ActionID: ${id}`) });

/** 07's recorded login of its second connection, then 08's QueueStatus exchange, at `t`. */
function reconnect(t: number): TranscriptLine[] {
  const login = loadTranscript('07-hub-restart-mid-call').lines.filter((l) => l.conn === 2).slice(0, 4);
  const idle = loadTranscript('08-resync-idle').lines;
  const queueStatus = idle.filter((l) => field(l, 'ActionID') === 'cti-2').map(renumber('cti2-2'));
  return [...login, ...queueStatus].map((l) => ({ ...l, conn: 2, t }));
}

/** The channel headers of the last message about `channel` (its state as the gap left it). */
function channelBlock(lines: readonly TranscriptLine[], channel: string): string {
  const last = [...lines].reverse().find((l) => l.dir === 'server' && l.raw.includes(`\r\nChannel: ${channel}\r\n`) && field(l, 'Channel') === channel);
  if (!last) throw new Error(`no message about ${channel}`);
  const rows = last.raw.split('\r\n');
  const from = rows.findIndex((r) => r === `Channel: ${channel}`);
  let to = from;
  while (to + 1 < rows.length && /^(ChannelState|ChannelStateDesc|CallerIDNum|CallerIDName|ConnectedLineNum|ConnectedLineName|Language|AccountCode|Context|Exten|Priority|Uniqueid|Linkedid|ChanVariable): /.test(rows[to + 1] ?? '')) to++;
  return rows.slice(from, to + 1).join('\r\n');
}

const duration = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
};

/** CoreShowChannels answered as 07 recorded it, listing `channels` (empty: as 08 recorded it). */
function coreShowChannels(t: number, channels: Array<{ block: string; application: string; data: string; since: number; bridge: string }>): TranscriptLine[] {
  const id = 'cti2-3';
  const line = (dir: 'client' | 'server', raw: string): TranscriptLine => ({ conn: 2, t, dir, raw });
  return [
    line('client', `Action: CoreShowChannels\r\nActionID: ${id}\r\n\r\n`),
    line('server', `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n`),
    ...channels.map((c) =>
      line(
        'server',
        `Event: CoreShowChannel\r\nActionID: ${id}\r\n${c.block}\r\nApplication: ${c.application}\r\nApplicationData: ${c.data}\r\nDuration: ${duration(t - c.since)}\r\nBridgeId: ${c.bridge}\r\n\r\n`,
      ),
    ),
    line('server', `Event: CoreShowChannelsComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: ${channels.length}\r\n\r\n`),
  ];
}

interface Scenario {
  name: string;
  what: string;
  lines: TranscriptLine[];
  expected: CallEventInput[];
}

function at(lines: readonly TranscriptLine[], test: (l: TranscriptLine) => boolean, what: string): number {
  const i = lines.findIndex(test);
  if (i < 0) throw new Error(`not found: ${what}`);
  return i;
}

/** A queue call's channel as CoreShowChannels lists it, from the recording up to `upTo`. */
function listed(lines: readonly TranscriptLine[], channel: string, application: string, bridge: string) {
  const created = at(lines, (l) => isEvent(l, 'Newchannel') && field(l, 'Channel') === channel, `Newchannel ${channel}`);
  const data = application === 'Queue'
    ? (lines.map((l) => (isEvent(l, 'Newexten') && field(l, 'Channel') === channel && field(l, 'Application') === 'Queue' ? field(l, 'AppData') : undefined)).find((d) => d !== undefined) ?? '')
    : '(Outgoing Line)';
  return { block: channelBlock(lines, channel), application, data, since: lines[created]?.t ?? 0, bridge };
}

const resync = <E extends CallEventInput>(event: E, changes: Partial<Record<string, string>> = {}): CallEventInput =>
  ({ ...event, ...changes, resync: true });

function expectedOf(t: Transcript, i: number): CallEventInput {
  const event = t.expected[i];
  if (!event) throw new Error(`${t.name}: no expected event ${i}`);
  return event;
}

/** 01: the connection drops while 1000 and 1003 ring; 1000 answers during the gap. */
function answeredElsewhere(): Scenario {
  const t = loadTranscript('01-support-ringall-agent-hangs-up');
  const cut = at(t.lines, (l) => isEvent(l, 'DialEnd'), 'first DialEnd');
  const resume = at(t.lines, (l) => isEvent(l, 'AgentComplete'), 'AgentComplete');
  const gap = t.lines.slice(0, resume);
  const when = 3000;
  const bridge = field(t.lines[at(gap, (l) => isEvent(l, 'BridgeEnter'), 'BridgeEnter')] as TranscriptLine, 'BridgeUniqueid') ?? '';
  const caller = field(t.lines[cut] as TranscriptLine, 'Channel') ?? '';
  const agent = field(t.lines[cut] as TranscriptLine, 'DestChannel') ?? '';
  const wait = [...gap].reverse().find((l) => isEvent(l, 'VarSet') && field(l, 'Channel') === caller && field(l, 'Variable') === 'QUEUEWAIT');
  const holdtime = (wait && field(wait, 'Value')) ?? '';
  const getvar: TranscriptLine[] = [
    { conn: 2, t: when, dir: 'client', raw: `Action: Getvar\r\nActionID: cti2-4\r\nChannel: ${caller}\r\nVariable: QUEUEWAIT\r\n\r\n` },
    { conn: 2, t: when, dir: 'server', raw: `Response: Success\r\nActionID: cti2-4\r\nVariable: QUEUEWAIT\r\nValue: ${holdtime}\r\n\r\n` },
  ];
  const [ring1000, ring1003, ringend1003, up, hangup] = [0, 1, 2, 3, 4].map((i) => expectedOf(t, i));
  return {
    name: '10-drop-while-ringing-answered-elsewhere',
    what: "01 cut after both phones rang; 1000 answered during the gap (Support's DialEnds and AgentConnect lost); the new connection finds caller and agent bridged and goes on with 01's AgentComplete",
    lines: [
      ...t.lines.slice(0, cut),
      ...reconnect(when),
      ...coreShowChannels(when, [listed(gap, agent, 'AppQueue', bridge), listed(gap, caller, 'Queue', bridge)]),
      ...getvar,
      ...t.lines.slice(resume).map((l) => ({ ...l, conn: 2 })),
    ],
    expected: [
      ring1000 as CallEventInput,
      ring1003 as CallEventInput,
      resync(ringend1003 as CallEventInput),
      resync(up as CallEventInput, { holdtime, ringtime: '0' }),
      { ...(hangup as CallEventInput), ringtime: '0' },
    ],
  };
}

/** 04: the connection drops while 1001 rings; the caller leaves during the gap. */
function abandonedDuringGap(): Scenario {
  const t = loadTranscript('04-billing-abandon');
  const cut = at(t.lines, (l) => isEvent(l, 'DialEnd'), 'first DialEnd');
  const logoff = at(t.lines, (l) => l.dir === 'client' && field(l, 'Action') === 'Logoff', 'Logoff');
  const when = 6000;
  const [ringing, ringend] = [0, 1].map((i) => expectedOf(t, i));
  const { ringing: _flag, ...fields } = ringing as CallEventInput & { ringing?: true };
  return {
    name: '11-drop-while-ringing-abandoned',
    what: '04 cut while 1001 rings; the caller leaves during the gap (DialEnds, QueueCallerAbandon and Hangup lost); the new connection finds nothing left',
    lines: [...t.lines.slice(0, cut), ...reconnect(when), ...coreShowChannels(when, []), ...t.lines.slice(logoff).map((l) => ({ ...l, conn: 2, t: when + 1000 }))],
    expected: [
      ringing as CallEventInput,
      resync(ringend as CallEventInput),
      resync({ ...fields, event: 'hangup', holdtime: '0', ringtime: '0', talktime: '0', reason: 'unknown', hangup: true } as CallEventInput),
    ],
  };
}

/** 02: the connection drops while 1002 talks; the caller hangs up during the gap. */
function hungUpDuringGap(): Scenario {
  const t = loadTranscript('02-support2-caller-hangs-up');
  const cut = at(t.lines, (l) => isEvent(l, 'AgentComplete'), 'AgentComplete');
  const logoff = at(t.lines, (l) => l.dir === 'client' && field(l, 'Action') === 'Logoff', 'Logoff');
  const when = 9000;
  const [ringing, up, hangup] = [0, 1, 2].map((i) => expectedOf(t, i));
  return {
    name: '12-drop-while-talking-hung-up',
    what: '02 cut while 1002 talks; the caller hangs up during the gap (AgentComplete and Hangups lost); the new connection finds nothing left',
    lines: [...t.lines.slice(0, cut), ...reconnect(when), ...coreShowChannels(when, []), ...t.lines.slice(logoff).map((l) => ({ ...l, conn: 2, t: when + 1000 }))],
    expected: [ringing as CallEventInput, up as CallEventInput, resync(hangup as CallEventInput, { talktime: '0', reason: 'unknown' })],
  };
}

export function deriveScenarios(): Scenario[] {
  return [answeredElsewhere(), abandonedDuringGap(), hungUpDuringGap()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(resyncFixturesDir, { recursive: true });
  for (const s of deriveScenarios()) {
    writeFileSync(`${resyncFixturesDir}/${s.name}.jsonl`, s.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    writeFileSync(`${resyncFixturesDir}/${s.name}.expected.json`, JSON.stringify(s.expected, null, 2) + '\n');
    console.log(`${s.name}: ${s.what}`);
  }
}
