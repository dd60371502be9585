#!/usr/bin/env node
// Runs the built CLI (npm install builds it; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('shuttle-cti is not built yet: run `npm run build` in the project folder.');
  process.exit(2);
}
await import(main.href);
