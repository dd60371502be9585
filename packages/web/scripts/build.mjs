#!/usr/bin/env node
/**
 * Builds the pages with Vite unless dist/ is already newer than every input, so that
 * `npm test` after `npm install` (which built them through `prepare`) does not build
 * them a second time. `--force` always builds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const inputs = ['agent', 'dashboard', 'src', 'vite.config.ts', 'package.json', '../protocol/src'].map((p) => join(root, p));
const stamp = join(root, 'dist', 'agent', 'index.html');

/** Newest modification time under `path` (a file or a folder), in ms. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.filter(existsSync).map(newest))) {
  console.log('web: pages are up to date (dist/ is newer than their sources); `npm run build -w @shuttle-cti/web -- --force` rebuilds');
} else {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log('web: pages built into dist/');
}
