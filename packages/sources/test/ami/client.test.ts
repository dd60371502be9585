import type { CallEventInput, CtiError } from '@shuttle-cti/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { AmiClientState } from '../../src/ami/client.js';
import { amiField } from '../../src/ami/parser.js';
import { createAmiSource, type AmiSourceOptions } from '../../src/ami/source.js';
import { startFakeAmiServer, type FakeAmiServer } from './fake-ami-server.js';
import { captureLogger, until } from './helpers.js';
import { loadTranscript, withoutIds } from './transcripts.js';

const secret = 'ctisecret';
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function source(server: FakeAmiServer, options: Partial<AmiSourceOptions> = {}) {
  const events: CallEventInput[] = [];
  const states: AmiClientState[] = [];
  const { logger, lines } = captureLogger();
  const s = createAmiSource({
    host: '127.0.0.1',
    port: server.port,
    username: 'cti',
    secret,
    customVariables: ['ordernumber', 'customerid'],
    sink: { emit: async (event) => void events.push(event) },
    logger,
    reconnect: { initialMs: 10, maxMs: 80 },
    ...options,
  });
  s.on('state', (state) => states.push(state));
  cleanup.push(() => s.stop());
  return { source: s, events, states, lines };
}

async function server(options: Parameters<typeof startFakeAmiServer>[0] = {}): Promise<FakeAmiServer> {
  const s = await startFakeAmiServer(options);
  cleanup.push(() => s.close());
  return s;
}

describe('AMI login', () => {
  it('refuses a wrong secret once, clearly, and does not retry', async () => {
    const pbx = await server({ transcript: loadTranscript('08-resync-idle') });
    const { source: s, states, lines } = source(pbx, { secret: 'wrong-secret' });
    const errors: CtiError[] = [];
    s.on('error', (error) => errors.push(error));
    await expect(s.start()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Authentication failed') });
    await pbx.closedConnection(1);
    expect(s.state).toBe('failed');
    expect(states).toEqual(['connecting', 'connected', 'failed']);
    expect(errors.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
    expect(pbx.accepted).toBe(1);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      expect.stringMatching(/refused the AMI login of "cti".*not retrying/),
    ]);
    for (const line of lines) expect(line.text).not.toContain('wrong-secret');
  });

  it('logs in with the MD5 challenge without sending the secret', async () => {
    const transcript = loadTranscript('03-sales-no-answer-then-answer-with-variables');
    const pbx = await server({ transcript });
    const { source: s, events } = source(pbx, { auth: 'md5' });
    await s.start();
    await pbx.replayed;
    await s.stop();
    expect(withoutIds(events)).toEqual(transcript.expected);
    const [challenge, login] = pbx.actions.map((a) => a.action);
    expect(challenge).toMatchObject({ Action: 'Challenge', AuthType: 'MD5' });
    expect(login).toMatchObject({ Action: 'Login', AuthType: 'MD5', Username: 'cti', Key: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(login?.['Secret']).toBeUndefined();
  });

  it('refuses a wrong secret with MD5 too', async () => {
    const pbx = await server();
    const { source: s } = source(pbx, { auth: 'md5', secret: 'nope' });
    await expect(s.start()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(pbx.accepted).toBe(1);
  });

  it('logs one line per state change and never the secret', async () => {
    const pbx = await server({ transcript: loadTranscript('08-resync-idle') });
    const { source: s, lines } = source(pbx, { url: `asterisk://cti:${secret}@127.0.0.1:${pbx.port}` });
    await s.start();
    await until(() => lines.some((l) => l.msg.includes('resynchronised')), 'the resync');
    await s.stop();
    expect(lines.filter((l) => l.level !== 'debug').map((l) => l.msg)).toEqual([
      `AMI: connecting to 127.0.0.1:${pbx.port}`,
      `AMI: connected to 127.0.0.1:${pbx.port} (Asterisk Call Manager/13.0.0)`,
      'AMI: logged in as cti',
      'AMI: resynchronised, 0 call(s) in progress',
      'AMI: stopped',
    ]);
    for (const line of lines) expect(line.text).not.toContain(secret);
  });
});

describe('AMI connection loss', () => {
  it('survives Asterisk restarting mid-call: reconnects, resyncs, and still sends the hangup', async () => {
    const transcript = loadTranscript('07-hub-restart-mid-call');
    const first = await server({ transcript, lastConn: 1 });
    const port = first.port;
    const { source: s, events, states, lines } = source(first);
    await s.start();
    await first.replayed;
    await until(() => events.length === 2, 'ringing and up');
    // Asterisk goes away with the call in progress, then comes back on the same port.
    await first.close();
    await until(() => states.includes('retrying'), 'a retry');
    const second = await server({ transcript, firstConn: 2, port });
    await second.replayed;
    await s.stop();
    expect(withoutIds(events)).toEqual(transcript.expected);
    expect(states.filter((st) => st === 'logged-in')).toHaveLength(2);
    expect(lines.some((l) => l.level === 'warn' && l.msg.startsWith(`AMI: disconnected from 127.0.0.1:${port}`))).toBe(true);
    expect(lines.some((l) => /^AMI: retrying in \d+ ms$/.test(l.msg))).toBe(true);
    expect(second.actions.map((a) => amiField(a.action, 'Action'))).toEqual(['Login', 'QueueStatus', 'CoreShowChannels', 'Logoff']);
  });

  it('detects a hung connection by the keep-alive and reconnects', async () => {
    const pbx = await server({ transcript: loadTranscript('08-resync-idle') });
    const { source: s, states, lines } = source(pbx, { pingIntervalMs: 20, actionTimeoutMs: 1000 });
    await s.start();
    await until(() => lines.some((l) => l.msg.includes('resynchronised')), 'the resync');
    await until(() => pbx.actions.some((a) => a.action['Action'] === 'Ping'), 'a first Ping');
    pbx.hang();
    // The client must give up on the silent connection by itself and log in anew.
    await pbx.closedConnection(1);
    await until(() => pbx.accepted >= 2 && s.state === 'logged-in', 'the new login');
    expect(lines.some((l) => l.msg.includes('no answer to Ping within 1000 ms (hung connection)'))).toBe(true);
    expect(states.filter((st) => st === 'logged-in').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps retrying with capped back-off while Asterisk is down, and start() does not wait for it', async () => {
    const pbx = await server();
    const port = pbx.port;
    await pbx.close();
    const { source: s, lines } = source(pbx, { port, reconnect: { initialMs: 5, maxMs: 20 } });
    await s.start();
    await until(() => lines.filter((l) => l.msg.startsWith('AMI: retrying in')).length >= 4, 'four retries');
    const delays = lines.filter((l) => l.msg.startsWith('AMI: retrying in')).map((l) => Number(/(\d+) ms/.exec(l.msg)?.[1]));
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(20);
    expect(lines.find((l) => l.level === 'warn')?.msg).toBe(`AMI: disconnected from 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('goes on without a resync when Asterisk refuses CoreShowChannels', async () => {
    const transcript = loadTranscript('02-support2-caller-hangs-up');
    const pbx = await server({ transcript, refuse: ['CoreShowChannels'] });
    const { source: s, events, lines } = source(pbx);
    await s.start();
    await pbx.replayed;
    await until(() => lines.some((l) => l.level === 'warn'), 'the resync to fail');
    await s.stop();
    expect(withoutIds(events)).toEqual(transcript.expected);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.msg)).toEqual([expect.stringContaining('AMI: could not resynchronise')]);
    expect(warnings[0]?.obj).toMatchObject({ err: { code: 'UNAVAILABLE', message: 'AMI CoreShowChannels: Permission denied' } });
  });
});
