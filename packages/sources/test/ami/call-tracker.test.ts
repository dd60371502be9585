import { callEventInput, type CallEventInput } from '@shuttle-cti/protocol';
import { describe, expect, it } from 'vitest';
import { createCallTracker, type CallTracker } from '../../src/ami/call-tracker.js';
import { peerOfChannel, resourceOf } from '../../src/ami/call-fields.js';
import { createAmiParser, type AmiMessage } from '../../src/ami/parser.js';
import { connections, loadTranscript, transcriptNames, type Transcript, withoutIds } from './transcripts.js';

const config = { customVariables: ['ordernumber', 'customerid'], outboundContexts: ['from-internal'] };

/** The server's messages of one connection, parsed. */
function messages(transcript: Transcript, conn: number): AmiMessage[] {
  const parser = createAmiParser();
  const out: AmiMessage[] = [];
  for (const line of transcript.lines) {
    if (line.conn !== conn || line.dir !== 'server') continue;
    for (const frame of parser.push(line.raw)) if (frame.type === 'message') out.push(frame.message);
  }
  return out;
}

function feed(tracker: CallTracker, list: AmiMessage[]): CallEventInput[] {
  return list.flatMap((m) => {
    // The client starts a resync when it has logged in.
    if (m['Response'] === 'Success' && m['Message'] === 'Authentication accepted') tracker.beginResync();
    return tracker.handle(m);
  });
}

describe.each(transcriptNames())('call tracker on %s', (name) => {
  const transcript = loadTranscript(name);

  it('emits exactly the expected call events', () => {
    const tracker = createCallTracker(config);
    const events = connections(transcript).flatMap((conn) => feed(tracker, messages(transcript, conn)));
    expect(withoutIds(events)).toEqual(transcript.expected);
    for (const event of events) expect(callEventInput.safeParse(event).error).toBeUndefined();
    expect(tracker.size).toBe(0);
  });
});

describe('call tracker edge cases', () => {
  const t07 = loadTranscript('07-hub-restart-mid-call');

  it('after a restart, rebuilds the call from CoreShowChannels and finds an AgentComplete without caller fields', () => {
    // A hub that starts mid-call knows nothing: conn 2 alone, with the AgentComplete
    // stripped of the caller's fields as Asterisk sends it once the caller is gone.
    const conn2 = messages(t07, 2).map((m) => {
      if (m['Event'] !== 'AgentComplete') return m;
      return Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith('Dest') || !/^(Channel|Uniqueid|CallerID|ConnectedLine|Context|Exten|Priority|Linkedid|ChanVariable|Language|AccountCode)/.test(k)));
    });
    const stripped = conn2.find((m) => m['Event'] === 'AgentComplete');
    expect(stripped?.['Uniqueid']).toBeUndefined();
    const tracker = createCallTracker(config);
    const events = feed(tracker, conn2);
    const hangup = t07.expected.find((e) => e.event === 'hangup');
    // The caller's fields come from CoreShowChannels; the ringing time was never seen.
    expect(withoutIds(events)).toEqual([{ ...hangup, ringtime: '0' }]);
  });

  it('finds the call by DestUniqueid when the caller is gone before AgentComplete', () => {
    const tracker = createCallTracker(config);
    const list = messages(t07, 1);
    feed(tracker, list);
    const complete = messages(t07, 2).find((m) => m['Event'] === 'AgentComplete') ?? {};
    const bare = Object.fromEntries(Object.entries(complete).filter(([k]) => k.startsWith('Dest') || ['Event', 'Privilege', 'Queue', 'Interface', 'MemberName', 'HoldTime', 'TalkTime', 'Reason'].includes(k)));
    tracker.handle({ Event: 'Hangup', Uniqueid: '1795976039.14', Channel: 'IAX2/pstn-11458' });
    expect(withoutIds(tracker.handle(bare))).toEqual([t07.expected[2]]);
    expect(tracker.size).toBe(0);
  });

  it('ends with reason "unknown" a call that ended while disconnected, with the times of its up', () => {
    const tracker = createCallTracker(config);
    feed(tracker, messages(t07, 1));
    expect(tracker.size).toBe(1);
    const idle = messages(loadTranscript('08-resync-idle'), 1);
    const hangup = t07.expected.find((e) => e.event === 'hangup');
    const events = feed(tracker, idle);
    expect(withoutIds(events)).toEqual([{ ...hangup, talktime: '0', reason: 'unknown', resync: true }]);
    expect(events[0]?.eventid).toBe('ami:1795976039.14:hangup:1795976039.15');
    expect(tracker.size).toBe(0);
  });

  it('shows a changed variable in later events and sends an unset one as empty once', () => {
    const tracker = createCallTracker(config);
    const t03 = loadTranscript('03-sales-no-answer-then-answer-with-variables');
    const list = messages(t03, 1);
    const connectAt = list.findIndex((m) => m['Event'] === 'AgentConnect');
    const before = feed(tracker, list.slice(0, connectAt));
    expect(before.at(-1)?.variables).toEqual({ ordernumber: 'A-1001', customerid: 'C-77' });
    const caller = { Channel: 'IAX2/pstn-1382', Uniqueid: '1795976007.5' };
    tracker.handle({ Event: 'VarSet', ...caller, Variable: 'ordernumber', Value: 'A-2002' });
    tracker.handle({ Event: 'VarSet', ...caller, Variable: '__customerid', Value: '' });
    tracker.handle({ Event: 'VarSet', ...caller, Variable: 'notconfigured', Value: 'x' });
    const rest = list.slice(connectAt).map((m) => {
      // The recorded ChanVariable headers predate the change: drop them to keep the VarSet effective.
      const { ChanVariable: _ignored, ...others } = m;
      return others;
    });
    const after = feed(tracker, rest);
    expect(after.map((e) => [e.event, e.variables])).toEqual([
      ['up', { ordernumber: 'A-2002', customerid: '' }],
      ['hangup', { ordernumber: 'A-2002' }],
    ]);
  });

  it('maps DialEnd statuses to ringend reasons, once per member', () => {
    const tracker = createCallTracker(config);
    const caller = { Channel: 'PJSIP/trunk-00000001', Uniqueid: 'c.1', CallerIDNum: '333', CallerIDName: 'X', Context: 'from-pstn', Exten: '6000' };
    tracker.handle({ Event: 'QueueCallerJoin', ...caller, Queue: 'Q' });
    const ring = (dest: string, iface: string) =>
      tracker.handle({ Event: 'AgentCalled', ...caller, DestChannel: `${iface}-0000000${dest}`, DestUniqueid: dest, Queue: 'Q', Interface: iface, MemberName: iface });
    const end = (dest: string, status: string) => tracker.handle({ Event: 'DialEnd', ...caller, DestUniqueid: dest, DialStatus: status });
    ring('d1', 'PJSIP/1000');
    ring('d2', 'PJSIP/1001');
    ring('d3', 'PJSIP/1002');
    expect(end('d1', 'BUSY').map((e) => e.event === 'ringend' && e.reason)).toEqual(['busy']);
    expect(end('d1', 'CANCEL')).toEqual([]);
    expect(end('d2', 'CHANUNAVAIL').map((e) => e.event === 'ringend' && e.reason)).toEqual(['unavailable']);
    const abandon = tracker.handle({ Event: 'QueueCallerAbandon', ...caller, Queue: 'Q', HoldTime: '7' });
    expect(abandon.map((e) => [e.event, e.event === 'ringend' ? `${e.peer} ${e.reason}` : e.queue])).toEqual([
      ['ringend', 'PJSIP/1002 caller-left'],
      ['abandon', 'Q'],
    ]);
    expect(tracker.size).toBe(0);
  });

  it('takes an agent and a trunk apart the way Shuttle names them', () => {
    expect(resourceOf('IAX2/1000')).toBe('1000');
    expect(resourceOf('PJSIP/1000')).toBe('1000');
    expect(resourceOf('SIP/andrea.bianco')).toBe('andrea.bianco');
    expect(resourceOf('Local/1000@agents/n')).toBe('1000');
    expect(peerOfChannel('IAX2/1000-2080')).toBe('IAX2/1000');
    expect(peerOfChannel('PJSIP/front-desk-0000001a')).toBe('PJSIP/front-desk');
    expect(peerOfChannel('Local/1000@agents-00000003;1')).toBe('Local/1000@agents');
    expect(peerOfChannel('DAHDI/1')).toBe('DAHDI/1');
  });

  it('sends one outbound per agent channel, only from an outbound context', () => {
    const tracker = createCallTracker(config);
    const agent = { Channel: 'PJSIP/1000-0000001a', Uniqueid: 'a.1', CallerIDNum: '1000', CallerIDName: 'Andrea Bianco', Exten: '0612345678' };
    const dial = (context: string) => tracker.handle({ Event: 'DialBegin', ...agent, Context: context, DestChannel: 'PJSIP/trunk-0000001b' });
    expect(dial('from-pstn')).toEqual([]);
    const [outbound] = dial('from-internal');
    expect(outbound).toMatchObject({ event: 'outbound', peer: 'PJSIP/1000', sipname: '1000', trunk: 'PJSIP/trunk-0000001b', extension: '0612345678' });
    expect(dial('from-internal')).toEqual([]);
  });
});
