import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, ExitError } from '../exit-codes.js';
import { detectKind } from '../runner/kind.js';
import { createCustomVariables } from '../runner/legacy/custom-variables.js';
import { createLog } from '../runner/log.js';
import { prepareIntegration } from '../runner/prepare.js';
import { ScriptError } from '../runner/script-error.js';
import { renderEnvFile, renderUnit, unitName, type ServiceSpec } from '../runner/service-unit.js';
import { checkUrls, defaultHubUrl, parseMs } from './run.js';

interface InstallFlags {
  name?: string;
  user: string;
  url?: string;
  token?: string;
  legacy?: boolean;
  handlerTimeout?: string;
  unitDir: string;
  envDir: string;
  dryRun?: boolean;
}

const bin = fileURLToPath(new URL('../../bin/shuttle-cti.js', import.meta.url));

function userIds(user: string): { uid: number; gid: number } | undefined {
  const result = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
  const fields = result.status === 0 ? result.stdout.split(':') : [];
  return fields.length >= 4 ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
}

/** A broken legacy script or rules file is refused now rather than at 3 a.m. (modules are not run here). */
async function checkScript(script: string, legacy: boolean): Promise<void> {
  const source = await readFile(script, 'utf8').catch((error: Error) => {
    throw new ExitError(ExitCode.USAGE, `cannot read ${script}: ${error.message}`);
  });
  if (detectKind(script, source, legacy) === 'module') return;
  try {
    await prepareIntegration(script, { legacy, log: createLog({ quiet: true }), customVariables: createCustomVariables(), timeoutMs: 1000 });
  } catch (error) {
    if (error instanceof ScriptError) throw new ExitError(ExitCode.SCRIPT, error.message);
    throw error;
  }
}

function write(path: string, text: string, mode: number): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode });
    chmodSync(path, mode);
  } catch (error) {
    throw new ExitError(ExitCode.FAILURE, `cannot write ${path}: ${(error as Error).message} (run as root, e.g. with sudo, or use --dry-run)`);
  }
}

async function install(script: string, flags: InstallFlags): Promise<void> {
  const file = resolve(script);
  if (!existsSync(file)) throw new ExitError(ExitCode.USAGE, `no such script: ${script}`);
  const name = flags.name ?? basename(file, extname(file)).replace(/[^A-Za-z0-9_.@-]/g, '-');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/.test(name)) throw new ExitError(ExitCode.USAGE, `--name may use letters, digits and _ . @ -, got "${name}"`);
  if (!/^[a-z_][a-z0-9_-]*\$?$/i.test(flags.user)) throw new ExitError(ExitCode.USAGE, `--user is not a valid user name: "${flags.user}"`);
  await checkScript(file, flags.legacy === true);
  const args = [
    ...(flags.legacy ? ['--legacy'] : []),
    ...(flags.handlerTimeout ? ['--handler-timeout', String(parseMs(flags.handlerTimeout, '--handler-timeout'))] : []),
  ];
  const spec: ServiceSpec = {
    name,
    user: flags.user,
    node: process.execPath,
    bin,
    script: file,
    args,
    url: checkUrls((flags.url ?? process.env['SHUTTLE_CTI_URL'] ?? defaultHubUrl).split(',').map((s) => s.trim())),
    token: flags.token ?? (process.env['SHUTTLE_CTI_TOKEN'] || undefined),
    envFile: join(resolve(flags.envDir), `${name}.env`),
    stateFile: `/var/lib/shuttle-cti/${name}.seq`,
    workingDirectory: dirname(file),
  };
  const unitPath = join(resolve(flags.unitDir), unitName(name));
  const unit = renderUnit(spec);
  const out = (text: string): boolean => process.stdout.write(text);

  const ids = userIds(spec.user);
  if (!flags.dryRun) {
    write(spec.envFile, renderEnvFile(spec, true), 0o600);
    if (ids && process.getuid?.() === 0) chownSync(spec.envFile, ids.uid, ids.gid);
    write(unitPath, unit, 0o644);
  }
  const verb = flags.dryRun ? 'Would write' : 'Wrote';
  out(`${verb} ${unitPath}:\n\n${unit}\n`);
  out(`${verb} ${spec.envFile} (mode 0600, owner ${spec.user}; the token is not shown):\n\n${renderEnvFile(spec, false)}\n`);
  if (!spec.token) out(`Note: no token given; put an integration token in ${spec.envFile} (SHUTTLE_CTI_TOKEN=...) before starting.\n`);
  if (!ids) out(`Note: user ${spec.user} does not exist; create it first: sudo useradd --system --no-create-home ${spec.user}\n`);
  const unitFile = unitName(name);
  out(
    `${flags.dryRun ? 'Dry run: nothing was written. ' : ''}To start it now and at every boot:\n` +
      `  sudo systemctl daemon-reload\n  sudo systemctl enable --now ${unitFile}\n` +
      `Its logs:\n  journalctl -u ${unitFile} -f\n`,
  );
}

/** `shuttle-cti service install`: a systemd unit that keeps an integration running. */
export function registerServiceCommand(program: Command): void {
  const service = program.command('service').description('run an integration as a system service');
  service
    .command('install')
    .description('write a systemd unit (restart on failure, logs to the journal) and an environment file holding the token')
    .argument('<script>', 'the integration, as for `run`')
    .option('--name <name>', 'service name: the unit is shuttle-cti-<name>.service (default: the script file name)')
    .option('--user <user>', 'system user the integration runs as', 'shuttle-cti')
    .option('--url <url>', `the hub (commas to fail over between hubs); env SHUTTLE_CTI_URL (default ${defaultHubUrl})`)
    .option('--token <token>', 'integration token, written to the environment file only; env SHUTTLE_CTI_TOKEN')
    .option('--legacy', 'the script is a handlers-only script of the original service')
    .option('--handler-timeout <ms>', 'passed to `run`')
    .option('--unit-dir <dir>', 'where the unit goes', '/etc/systemd/system')
    .option('--env-dir <dir>', 'where the environment file goes', '/etc/shuttle-cti')
    .option('--dry-run', 'print what would be written, write nothing')
    .addHelpText('after', '\nExample:\n  sudo shuttle-cti service install /opt/crm/integration.ts --name crm --token $TOKEN\n')
    .action(install);
}
