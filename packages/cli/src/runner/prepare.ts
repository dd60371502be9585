import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { ExitCode, ExitError } from '../exit-codes.js';
import { detectKind } from './kind.js';
import type { CustomVariablesStore } from './legacy/custom-variables.js';
import { prepareLegacy } from './legacy/sandbox.js';
import type { RunnerLog } from './log.js';
import { prepareModule } from './module.js';
import type { PreparedIntegration } from './prepared.js';
import { rulesIntegration } from './rules/engine.js';
import { loadRules } from './rules/load.js';

export interface PrepareOptions {
  legacy?: boolean;
  log: RunnerLog;
  customVariables: CustomVariablesStore;
  /** Longest synchronous run of a legacy script's code, in ms. */
  timeoutMs: number;
}

/**
 * Reads, checks and compiles an integration without connecting anywhere: a broken script
 * throws a ScriptError (file:line:column) before the runner opens a connection.
 */
export async function prepareIntegration(script: string, options: PrepareOptions): Promise<PreparedIntegration> {
  const file = resolve(script);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new ExitError(ExitCode.USAGE, `cannot read ${script}: ${(error as Error).message}`);
  }
  switch (detectKind(file, source, options.legacy)) {
    case 'rules':
      return rulesIntegration(file, loadRules(file, source, basename(file, extname(file))), options.log);
    case 'legacy':
      return prepareLegacy(file, source, { customVariables: options.customVariables, log: options.log, timeoutMs: options.timeoutMs });
    case 'module':
      return prepareModule(file);
  }
}
