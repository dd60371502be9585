// `shuttle-cti service install`, as a child process; writes go to temporary folders.
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, legacyDir, runCli } from './cli-process.js';

const token = 'sct_service-test-secret-0123456789';
let dir: string;
let unitDir: string;
let envDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shuttle-cti-service-'));
  unitDir = join(dir, 'systemd');
  envDir = join(dir, 'etc');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const script = join(legacyDir, 'sales-crm.js');
const dirs = () => ['--unit-dir', unitDir, '--env-dir', envDir];

describe('service install', () => {
  it('--dry-run prints the unit and the environment file, hides the token, writes nothing', async () => {
    const run = await runCli(['service', 'install', script, '--name', 'sales', '--user', 'crm', '--url', 'http://hub.example.test:8888', '--token', token, '--dry-run', ...dirs()]);
    expect(run.code, run.output).toBe(0);
    const out = run.stdout.join('\n');
    expect(out).toContain(`Would write ${join(unitDir, 'shuttle-cti-sales.service')}:`);
    expect(out).toContain(`Would write ${join(envDir, 'sales.env')} (mode 0600, owner crm`);
    for (const line of [
      'Description=shuttle-cti integration sales',
      'User=crm',
      `EnvironmentFile=${join(envDir, 'sales.env')}`,
      `ExecStart=${process.execPath} ${bin} run ${script} --state-file /var/lib/shuttle-cti/sales.seq`,
      'Restart=on-failure',
      'RestartPreventExitStatus=2 3 4',
      'StandardOutput=journal',
      'StandardError=journal',
      'WantedBy=multi-user.target',
      'SHUTTLE_CTI_URL=http://hub.example.test:8888',
      `SHUTTLE_CTI_TOKEN=<hidden: ${token.length} characters>`,
      'sudo systemctl enable --now shuttle-cti-sales.service',
      'journalctl -u shuttle-cti-sales.service -f',
    ]) {
      expect(out.split('\n')).toContain(line.startsWith('sudo') || line.startsWith('journalctl') ? `  ${line}` : line);
    }
    expect(out).not.toContain(token);
    expect(run.stderr.join('\n')).not.toContain(token);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('writes the unit and an environment file readable only by its owner', async () => {
    const user = userInfo().username;
    const run = await runCli(['service', 'install', script, '--name', 'sales', '--user', user, ...dirs()], {
      env: { SHUTTLE_CTI_TOKEN: token, SHUTTLE_CTI_URL: 'http://a.test:8888,http://b.test:8888' },
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.join('\n')).not.toContain(token);
    const envFile = join(envDir, 'sales.env');
    const env = await readFile(envFile, 'utf8');
    expect(env).toContain(`SHUTTLE_CTI_TOKEN=${token}\n`);
    expect(env).toContain('SHUTTLE_CTI_URL=http://a.test:8888,http://b.test:8888\n');
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const unit = await readFile(join(unitDir, 'shuttle-cti-sales.service'), 'utf8');
    expect(unit).toContain(`User=${user}\n`);
    expect((await stat(join(unitDir, 'shuttle-cti-sales.service'))).mode & 0o777).toBe(0o644);
  });

  it('passes --legacy on and quotes paths with spaces for systemd', async () => {
    const spaced = await mkdtemp(join(tmpdir(), 'shuttle cti 100% '));
    await copyFile(script, join(spaced, 'sales-crm.js'));
    try {
      const run = await runCli(['service', 'install', join(spaced, 'sales-crm.js'), '--name', 'legacy', '--legacy', '--handler-timeout', '5000', '--dry-run', ...dirs()]);
      expect(run.code, run.output).toBe(0);
      const quoted = `"${join(spaced, 'sales-crm.js').replace('%', '%%')}"`;
      expect(run.stdout).toContain(`ExecStart=${process.execPath} ${bin} run ${quoted} --state-file /var/lib/shuttle-cti/legacy.seq --legacy --handler-timeout 5000`);
      expect(run.stdout.join('\n')).toContain('Note: no token given');
    } finally {
      await rm(spaced, { recursive: true, force: true });
    }
  });

  it('refuses a broken script before writing anything (exit 3)', async () => {
    const run = await runCli(['service', 'install', join(legacyDir, 'broken-syntax.js'), ...dirs()]);
    expect(run.code).toBe(3);
    expect(run.stderr.join('\n')).toMatch(/broken-syntax\.js:6:6/);
  });

  it('refuses a bad name or a missing script (exit 2)', async () => {
    expect((await runCli(['service', 'install', script, '--name', '../x', '--dry-run', ...dirs()])).code).toBe(2);
    expect((await runCli(['service', 'install', join(dir, 'missing.js'), '--dry-run', ...dirs()])).code).toBe(2);
  });
});
