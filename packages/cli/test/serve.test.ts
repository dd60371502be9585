import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shuttle-cti serve', () => {
  it('starts with the simulator, prints a banner with URLs and demo tokens, feeds events, and stops cleanly on SIGTERM', async () => {
    const data = join(dir, 'serve-data');
    const run = await startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', data, '--simulate', '3000'], /Stop with Ctrl\+C/);
    const out = run.output();
    const url = /hub listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url).toBeTruthy();
    expect(out).toContain(`${url}/agent`);
    expect(out).toContain(`${url}/dashboard`);
    expect(out).toContain(`SQLite in ${data}`);
    const integrationToken = /integration {2}(sct_\S+)/.exec(out)?.[1];
    const supervisorToken = /supervisor {3}(sct_\S+)/.exec(out)?.[1];
    expect(integrationToken && supervisorToken).toBeTruthy();

    // The simulator's calls reach an integration connected with the demo token.
    const socket = io(url as string, { auth: { token: integrationToken }, transports: ['websocket'], forceNew: true });
    const event = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('ringing', resolve);
      socket.on('outbound', resolve);
    });
    expect(typeof event['seq']).toBe('number');
    expect(event['uniqueid']).toBeTruthy();
    socket.close();

    const events = await fetch(`${url}/api/v1/events?limit=5`, { headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(events.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/"msg":"stopped"/);
    expect(run.output()).not.toContain('"level":50');
  });

  it('refuses a bad configuration with a readable error and exit code 2', async () => {
    const badPort = await runCli(['serve', '--port', 'eighty', '--data', join(dir, 'x')]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/invalid configuration at "port"/);

    const config = join(dir, 'bad.json');
    await writeFile(config, '{ "port": 8888, ');
    const badFile = await runCli(['serve', '--config', config]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toContain(`config file ${config} is not valid JSON`);

    const badEnv = await runCli(['serve', '--data', join(dir, 'y')], { env: { SHUTTLE_CTI_PORT: 'abc' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('SHUTTLE_CTI_PORT: expected a number');

    const badDb = await runCli(['serve', '--database-url', 'mysql://u:hunter2@h/db']);
    expect(badDb.code).not.toBe(0);
    expect(badDb.stderr).toContain('unsupported DATABASE_URL');
    expect(badDb.stderr).not.toContain('hunter2');
  });

  it('says what to do when the port is taken', async () => {
    const first = await startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'p1')], /Stop with Ctrl\+C/);
    const port = /hub listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())?.[1] as string;
    const second = await runCli(['serve', '--port', port, '--host', '127.0.0.1', '--data', join(dir, 'p2')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`port ${port} is already in use`);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('reads a YAML config file, and flags override it', async () => {
    const config = join(dir, 'hub.yaml');
    await writeFile(config, `port: 1\nhost: 127.0.0.1\ndataDir: ${join(dir, 'yaml-data')}\nlogLevel: warn\n`);
    const run = await startCli(['serve', '--config', config, '--port', '0'], /Stop with Ctrl\+C/);
    expect(run.output()).toMatch(/hub listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(run.output()).toContain(`SQLite in ${join(dir, 'yaml-data')}`);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('prints help for every command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['token', '--help'], ['token', 'create', '--help'], ['simulate', '--help']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: shuttle-cti');
    }
    const unknown = await runCli(['serve', '--no-such-flag']);
    expect(unknown.code).toBe(2);
  });
});
