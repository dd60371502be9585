import { escapePeer, isRole, peerProblem, roles } from '@shuttle-cti/protocol';
import { createToken, revokeToken } from '@shuttle-cti/server';
import { Option, type Command } from 'commander';
import { ExitCode, ExitError } from '../exit-codes.js';
import { addStoreFlags, openStore, type StoreFlags } from './store-flags.js';
import { registerTokenScopeCommand, scopeColumn, scopeFromFlags, usage, type ScopeFlags } from './token-scope.js';

/** `shuttle-cti token create | list | revoke | scope`: acts on the store directly, also while a hub runs. */
export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('create, list, revoke and scope access tokens');

  addStoreFlags(
    token
      .command('create')
      .description('create a token and print it alone on stdout (it is shown once, stored only as a hash)')
      .addOption(new Option('--role <role>', 'what the token may do').choices([...roles]).makeOptionMandatory())
      .option('--peer <peer>', 'agent tokens: the peer the agent is bound to, e.g. SIP/andrea.bianco')
      .option('--name <label>', 'a label to recognise the token by in `token list`')
      .option('--queues <names>', 'integration and supervisor tokens: limit it to these queues, e.g. Sales,Support')
      .option('--peers <names>', 'integration and supervisor tokens: limit it to these peers, e.g. SIP/a,SIP/b'),
  ).action(async (options: StoreFlags & ScopeFlags & { role: string; peer?: string; name?: string }) => {
    if (!isRole(options.role)) throw new ExitError(ExitCode.USAGE, `--role must be one of ${roles.join(', ')}`);
    if (options.role === 'agent' && !options.peer) throw new ExitError(ExitCode.USAGE, 'an agent token needs --peer (e.g. --peer SIP/andrea.bianco)');
    if (options.role !== 'agent' && options.peer) throw new ExitError(ExitCode.USAGE, '--peer is only for agent tokens');
    const problem = options.peer === undefined ? undefined : peerProblem(options.peer);
    if (problem !== undefined) throw new ExitError(ExitCode.USAGE, `--peer: ${problem} (got ${JSON.stringify(options.peer)})`);
    const scope = scopeFromFlags(options);
    if (scope !== undefined && options.role !== 'integration' && options.role !== 'supervisor') {
      throw new ExitError(ExitCode.USAGE, '--queues and --peers are for integration and supervisor tokens');
    }
    const store = await openStore(options);
    try {
      const { secret } = await usage(createToken(store, { role: options.role, peer: options.peer, name: options.name, scope }));
      process.stdout.write(`${secret}\n`);
    } finally {
      await store.close();
    }
  });

  addStoreFlags(token.command('list').description('list tokens (never their secrets)').option('--json', 'one JSON array')).action(
    async (options: StoreFlags & { json?: boolean }) => {
      const store = await openStore(options);
      try {
        const list = await store.listTokens();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        const rows = list.map((t) => [t.id, t.role, t.peer === null ? '-' : escapePeer(t.peer), escapePeer(t.name), t.createdAt, t.revokedAt ? `revoked ${t.revokedAt}` : 'active', scopeColumn(t.scope)]);
        const header = ['ID', 'ROLE', 'PEER', 'NAME', 'CREATED', 'STATE', 'SCOPE'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
        for (const row of [header, ...rows]) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
      } finally {
        await store.close();
      }
    },
  );

  addStoreFlags(token.command('revoke').description('revoke a token by id; its sessions are disconnected').argument('<id>', 'the id from `token list`')).action(
    async (id: string, options: StoreFlags) => {
      const store = await openStore(options);
      try {
        await usage(revokeToken(store, id));
        process.stdout.write(`revoked ${id}\n`);
      } finally {
        await store.close();
      }
    },
  );

  registerTokenScopeCommand(token);
}
