/** `shuttle-cti webhook …` run as a user would (from source, like the fault tests' `token create`). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cliMain = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url));

export async function cliWebhook(args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', cliMain, 'webhook', ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
  return stdout;
}
