import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAmiServer } from '../../sources/test/ami/fake-ami-server.js';
import { loadTranscript } from '../../sources/test/ami/transcripts.js';
import { runCli, startCli } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-ami-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shuttle-cti serve with Asterisk', () => {
  it('--ami-demo plays demo traffic through a fake Asterisk over the real AMI protocol', async () => {
    const run = await startCli(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'demo'), '--ami-demo', '--simulate', '3000', '--log-level', 'debug'],
      /Stop with Ctrl\+C/,
    );
    const out = run.output();
    expect(out).toMatch(/Asterisk AMI +demo PBX at 127\.0\.0\.1:\d+/);
    const url = /hub listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
    const token = /integration {2}(sct_\S+)/.exec(out)?.[1];
    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
    const event = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('ringing', resolve);
    });
    expect(event).toMatchObject({ event: 'ringing', direction: 'inbound', ringing: true });
    expect(String(event['peer'])).toMatch(/^SIP\//);
    socket.close();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toMatch(/"secret":"(?!\[secret\])/);
  });

  it('--ami with a wrong secret stops with a clear error and the auth exit code, never printing the secret', async () => {
    const pbx = await startFakeAmiServer({ transcript: loadTranscript('08-resync-idle'), secret: 'right-secret' });
    try {
      const r = await runCli(
        ['serve', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'bad'), '--ami', `asterisk://cti@127.0.0.1:${pbx.port}`],
        { env: { SHUTTLE_CTI_AMI_SECRET: 'wrong-secret-123' } },
      );
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/shuttle-cti: .*(refused|authentication|login)/i);
      expect(r.stdout + r.stderr).not.toContain('wrong-secret-123');
      expect(pbx.accepted).toBe(1);
    } finally {
      await pbx.close();
    }
  });

  it('--ami takes a recorded call from Asterisk to an integration, with custom variables', async () => {
    const transcript = loadTranscript('03-sales-no-answer-then-answer-with-variables');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const pbx = await startFakeAmiServer({ transcript, gate });
    const data = join(dir, 'ami');
    const token = (await runCli(['token', 'create', '--role', 'integration', '--data', data])).stdout.trim();
    const run = await startCli(
      [
        'serve', '--port', '0', '--host', '127.0.0.1', '--data', data,
        '--ami', `asterisk://cti@127.0.0.1:${pbx.port}`, '--custom-variables', 'ordernumber,customerid',
      ],
      /Stop with Ctrl\+C/,
      { env: { SHUTTLE_CTI_AMI_SECRET: 'ctisecret' } },
    );
    try {
      const url = /hub listening on (http:\/\/\S+)/.exec(run.output())?.[1] as string;
      const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
      const ups: Record<string, unknown>[] = [];
      const hangup = new Promise<Record<string, unknown>>((resolve) => socket.on('hangup', resolve));
      socket.on('up', (e: Record<string, unknown>) => ups.push(e));
      await new Promise<void>((resolve) => socket.on('welcome', () => resolve()));
      open();
      const end = await hangup;
      expect(ups).toHaveLength(1);
      expect(ups[0]).toMatchObject({ queue: 'Sales', variables: { ordernumber: 'A-1001', customerid: 'C-77' } });
      expect(end).toMatchObject({ event: 'hangup', queue: 'Sales' });
      expect(run.output()).not.toContain('ctisecret');
      socket.close();
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await pbx.close();
    }
  });
});
