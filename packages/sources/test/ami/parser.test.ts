import { describe, expect, it } from 'vitest';
import { amiField, amiFieldAll, createAmiParser, formatAmiMessage, type AmiFrame } from '../../src/ami/parser.js';
import { connections, loadTranscript, transcriptNames } from './transcripts.js';

function parseAll(chunks: Array<Uint8Array | string>, expectBanner = true): AmiFrame[] {
  const parser = createAmiParser({ expectBanner });
  return chunks.flatMap((c) => parser.push(c));
}

describe('AMI parser', () => {
  it('keeps repeated keys as arrays and values containing ": "', () => {
    const [frame] = parseAll(
      [
        'Event: Newexten\r\nChannel: IAX2/pstn-1382\r\nChanVariable: ordernumber=A-1001\r\nChanVariable: customerid=C-77\r\n' +
          'DestChanVariable: ordernumber=\r\nAppData: Sales line: the IVR has identified the customer\r\nAccountCode: \r\n\r\n',
      ],
      false,
    );
    expect(frame).toEqual({
      type: 'message',
      message: {
        Event: 'Newexten',
        Channel: 'IAX2/pstn-1382',
        ChanVariable: ['ordernumber=A-1001', 'customerid=C-77'],
        DestChanVariable: ['ordernumber='],
        AppData: 'Sales line: the IVR has identified the customer',
        AccountCode: '',
      },
    });
  });

  it('makes any other repeated key an array, in order', () => {
    const [frame] = parseAll(['Event: X\r\nVariable: a=1\r\nVariable: b=2\r\n\r\n'], false);
    const message = frame?.type === 'message' ? frame.message : {};
    expect(amiFieldAll(message, 'Variable')).toEqual(['a=1', 'b=2']);
    expect(amiField(message, 'Variable')).toBe('a=1');
    expect(amiFieldAll(message, 'Missing')).toEqual([]);
  });

  it('reads the banner line, then messages', () => {
    const frames = parseAll(['Asterisk Call Manager/13.0.0\r\nResponse: Success\r\nActionID: cti-1\r\nMessage: Authentication accepted\r\n\r\n']);
    expect(frames).toEqual([
      { type: 'banner', text: 'Asterisk Call Manager/13.0.0' },
      { type: 'message', message: { Response: 'Success', ActionID: 'cti-1', Message: 'Authentication accepted' } },
    ]);
  });

  it('reads a Response: Follows body up to --END COMMAND--, blank lines and colons included', () => {
    const text =
      'Response: Follows\r\nPrivilege: Command\r\nActionID: cti-9\r\n' +
      'Channel              Location             State   Application(Data)\n' +
      'Uptime: 5 seconds\n\n' +
      '1 active channel\n--END COMMAND--\r\n\r\n' +
      'Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\n';
    const frames = parseAll([text], false);
    expect(frames).toEqual([
      {
        type: 'message',
        message: {
          Response: 'Follows',
          Privilege: 'Command',
          ActionID: 'cti-9',
          Output: ['Channel              Location             State   Application(Data)', 'Uptime: 5 seconds', '', '1 active channel'],
        },
      },
      { type: 'message', message: { Event: 'FullyBooted', Status: 'Fully Booted' } },
    ]);
  });

  it('reads command output glued to the end marker', () => {
    const frames = parseAll(['Response: Follows\r\nActionID: 1\r\nNo such command--END COMMAND--\r\n\r\n'], false);
    expect(frames).toEqual([{ type: 'message', message: { Response: 'Follows', ActionID: '1', Output: ['No such command'] } }]);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('Event: Newchannel\r\nCallerIDName: Niccolò Ferrè\r\n\r\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const frames = parseAll([bytes.subarray(0, cut), bytes.subarray(cut)], false);
    expect(frames).toEqual([{ type: 'message', message: { Event: 'Newchannel', CallerIDName: 'Niccolò Ferrè' } }]);
  });

  it('refuses an endless line instead of buffering it', () => {
    const parser = createAmiParser({ maxLineLength: 100 });
    expect(() => parser.push('x'.repeat(101))).toThrow(/longer than 100/);
  });

  it('formats actions and refuses values that would inject headers', () => {
    expect(formatAmiMessage({ Action: 'Login', ActionID: 'cti-1', Username: 'cti', Skip: undefined, Variable: ['a=1', 'b=2'] })).toBe(
      'Action: Login\r\nActionID: cti-1\r\nUsername: cti\r\nVariable: a=1\r\nVariable: b=2\r\n\r\n',
    );
    expect(() => formatAmiMessage({ Action: 'Login', Username: 'cti\r\nAction: Originate' })).toThrow(/Username/);
  });
});

describe.each(transcriptNames())('transcript %s', (name) => {
  const transcript = loadTranscript(name);

  for (const conn of connections(transcript)) {
    const raws = transcript.lines.filter((l) => l.conn === conn && l.dir === 'server').map((l) => l.raw);
    const stream = Buffer.from(raws.join(''));
    const whole = parseAll([stream]);

    it(`conn ${conn}: one frame per recorded message, banner first`, () => {
      expect(whole).toHaveLength(raws.length);
      expect(whole[0]).toEqual({ type: 'banner', text: 'Asterisk Call Manager/13.0.0' });
      // Nothing lost: every header line of every message is in the parsed object.
      for (const [i, raw] of raws.entries()) {
        const frame = whole[i];
        if (i === 0 || frame?.type !== 'message') continue;
        const lines = raw.split('\r\n').filter((l) => l !== '');
        const values = Object.values(frame.message).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 0);
        expect(values).toBe(lines.length);
      }
    });

    it(`conn ${conn}: same frames when split at every byte offset`, () => {
      // The parser keeps no state across a message boundary except "banner seen", so a
      // split at offset k can only change the message it falls in: each offset of the
      // stream is tried within a window of the previous and the current message.
      let offset = 0;
      for (const [i, raw] of raws.entries()) {
        const previous = i === 0 ? Buffer.alloc(0) : Buffer.from(raws[i - 1] ?? '');
        const current = Buffer.from(raw);
        const window = Buffer.concat([previous, current]);
        const expectBanner = i <= 1;
        const expected = parseAll([window], expectBanner);
        for (let k = previous.length; k < window.length; k++) {
          const got = parseAll([window.subarray(0, k), window.subarray(k)], expectBanner);
          if (got.length !== expected.length || JSON.stringify(got) !== JSON.stringify(expected)) {
            throw new Error(`${name} conn ${conn}: split at byte ${offset + k - previous.length} changes the parse`);
          }
        }
        offset += current.length;
      }
      expect(offset).toBe(stream.length);
    });

    it(`conn ${conn}: same frames when fed one byte at a time`, () => {
      const chunks: Uint8Array[] = [];
      for (let k = 0; k < stream.length; k++) chunks.push(stream.subarray(k, k + 1));
      expect(parseAll(chunks)).toEqual(whole);
    });
  }
});
