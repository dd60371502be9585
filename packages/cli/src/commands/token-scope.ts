import { CtiError, describeScope, escapePeer, peerProblem, scopeQueueName, type Scope } from '@shuttle-cti/protocol';
import { changeTokenScope } from '@shuttle-cti/server';
import type { Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { addStoreFlags, openStore, type StoreFlags } from './store-flags.js';

export interface ScopeFlags {
  queues?: string;
  peers?: string;
}

/** Splits a comma-separated flag value into names; an empty name, CR/LF or an over-long one is an error naming the flag. */
function names(flag: '--queues' | '--peers', value: string): string[] {
  const list = value.split(',').map((n) => n.trim());
  for (const name of list) {
    if (name === '') throw new ExitError(ExitCode.USAGE, `${flag}: an empty name (give names separated by commas, e.g. ${flag === '--queues' ? 'Sales,Support' : 'SIP/a,SIP/b'})`);
    const problem = flag === '--peers' ? peerProblem(name) ?? (name.length > 256 ? 'a peer has at most 256 characters' : undefined) : scopeQueueName.safeParse(name).error?.issues[0]?.message;
    if (problem !== undefined) throw new ExitError(ExitCode.USAGE, `${flag}: ${problem} (got ${JSON.stringify(name)})`);
  }
  if (list.length > 1000) throw new ExitError(ExitCode.USAGE, `${flag}: at most 1000 names`);
  return [...new Set(list)];
}

/** The scope the flags give, or undefined when neither `--queues` nor `--peers` was given. */
export function scopeFromFlags(flags: ScopeFlags): Scope | undefined {
  if (flags.queues === undefined && flags.peers === undefined) return undefined;
  return {
    queues: flags.queues === undefined ? [] : names('--queues', flags.queues),
    peers: flags.peers === undefined ? [] : names('--peers', flags.peers),
  };
}

/** The SCOPE column of `token list`: each name escaped as peers are, so look-alikes show. */
export function scopeColumn(scope: Scope | null): string {
  return scope === null ? '-' : describeScope({ queues: scope.queues.map(escapePeer), peers: scope.peers.map(escapePeer) });
}

/** The hub's token functions answer a bad id or value as a CtiError: for the CLI that is bad usage (exit 2). */
export async function usage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CtiError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_PAYLOAD')) throw new ExitError(ExitCode.USAGE, error.message);
    throw error;
  }
}

/** `shuttle-cti token scope <id> --queues … --peers … | --clear`: changes a token's scope, keeping its secret. */
export function registerTokenScopeCommand(token: Command): void {
  addStoreFlags(
    token
      .command('scope')
      .description("set or clear a token's scope (its queues and peers); connected sessions follow within the token re-check interval")
      .argument('<id>', 'the id from `token list`')
      .option('--queues <names>', 'queues it is limited to, separated by commas, e.g. Sales,Support')
      .option('--peers <names>', 'peers it is limited to, separated by commas, e.g. SIP/a,SIP/b')
      .option('--clear', 'remove the scope: the token sees everything again'),
  ).action(async (id: string, options: StoreFlags & ScopeFlags & { clear?: boolean }) => {
    const scope = scopeFromFlags(options);
    if (options.clear && scope !== undefined) throw new ExitError(ExitCode.USAGE, '--clear goes alone, without --queues or --peers');
    if (!options.clear && scope === undefined) throw new ExitError(ExitCode.USAGE, 'give --queues and/or --peers, or --clear');
    const store = await openStore(options);
    try {
      await usage(changeTokenScope(store, id, scope ?? null));
      process.stdout.write(`${id}: scope ${scope === undefined ? 'cleared (sees everything)' : describeScope(scope)}\n`);
    } finally {
      await store.close();
    }
  });
}
