import { demoAgents, createSimulator } from '@shuttle-cti/sources';
import { createHub, createLogger, createToken, maskUrl, type Hub, type HubOptions } from '@shuttle-cti/server';
import type { Command } from 'commander';
import { hubConfigOf, resolveServeConfig, type ServeConfig } from '../config.js';
import { onShutdown } from '../shutdown.js';
import { addStoreFlags } from './store-flags.js';

interface ServeFlags {
  config?: string;
  port?: string;
  host?: string;
  data?: string;
  databaseUrl?: string;
  redisUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  simulate?: string | boolean;
  logLevel?: string;
  trustLoopback?: boolean;
}

const portOf = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

/** `shuttle-cti serve`: the hub, with the sources the configuration names. */
export function registerServeCommand(program: Command): void {
  addStoreFlags(program.command('serve').description('run the hub'))
    .option('--port <n>', 'port for HTTP and socket.io (default 8888); env SHUTTLE_CTI_PORT')
    .option('--host <host>', 'interface to listen on (default 0.0.0.0); env SHUTTLE_CTI_HOST')
    .option('--redis-url <url>', 'redis://… to share rooms with other hubs; env REDIS_URL')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS on the same port')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--simulate [callsPerMinute]', 'feed the hub with simulated queue traffic (default 12 calls/min) and print demo tokens')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
    .option('--trust-loopback', 'let integrations on 127.0.0.1/::1 connect without a token')
    .action(async (flags: ServeFlags) => {
      const config = resolveServeConfig({
        file: flags.config ?? process.env['SHUTTLE_CTI_CONFIG'],
        env: process.env,
        flags: {
          port: portOf(flags.port),
          host: flags.host,
          dataDir: flags.data,
          databaseUrl: flags.databaseUrl,
          redisUrl: flags.redisUrl,
          logLevel: flags.logLevel,
          trustLoopbackIntegrations: flags.trustLoopback,
          tls: flags.tlsCert || flags.tlsKey ? { cert: flags.tlsCert, key: flags.tlsKey } : undefined,
          simulate: flags.simulate === undefined ? undefined : flags.simulate === true ? 12 : Number(flags.simulate),
        },
      });
      await serve(config);
    });
}

export async function serve(config: ServeConfig): Promise<void> {
  const logger = createLogger(config.logLevel);
  const sources: NonNullable<HubOptions['sources']> = [];
  if (config.simulate) {
    const callsPerMinute = config.simulate;
    sources.push((sink, log) => createSimulator({ sink, callsPerMinute, logger: log }));
  }
  const hub = await createHub({ config: hubConfigOf(config), logger, sources });
  const demo = config.simulate ? await demoTokens(hub) : undefined;
  await hub.listen();
  printBanner(hub, config, demo);
  await onShutdown(async () => {
    logger.info('shutting down: draining events and closing connections');
    await hub.close();
    logger.info('stopped');
  });
}

interface DemoTokens {
  integration: string;
  agent: string;
  agentPeer: string;
  supervisor: string;
  source: string;
}

/** Fresh demo tokens at each demo start; the previous demo tokens are revoked. */
async function demoTokens(hub: Hub): Promise<DemoTokens> {
  for (const t of await hub.store.listTokens()) {
    if (t.name.startsWith('demo-') && !t.revokedAt) await hub.store.revokeToken(t.id);
  }
  const agentPeer = demoAgents[0]?.peer ?? 'SIP/andrea.bianco';
  const make = async (role: 'integration' | 'agent' | 'supervisor' | 'source', peer?: string) =>
    (await createToken(hub.store, { role, peer, name: `demo-${role}` })).secret;
  return {
    integration: await make('integration'),
    agent: await make('agent', agentPeer),
    agentPeer,
    supervisor: await make('supervisor'),
    source: await make('source'),
  };
}

function printBanner(hub: Hub, config: ServeConfig, demo: DemoTokens | undefined): void {
  const url = hub.url;
  const lines = [
    '',
    `  shuttle-cti hub listening on ${url}`,
    '',
    `  Agent panel          ${url}/agent`,
    `  Supervisor dashboard ${url}/dashboard`,
    `  Integrations         socket.io ${url}  (namespace "/")`,
    `  HTTP ingest          POST ${url}/api/v1/events`,
    `  Health / metrics     ${url}/healthz  ${url}/readyz  ${url}/metrics`,
    `  Store                ${config.databaseUrl ? maskUrl(config.databaseUrl) : `SQLite in ${config.dataDir}`}`,
  ];
  if (config.redisUrl) lines.push(`  Redis                ${maskUrl(config.redisUrl)}`);
  if (config.simulate) lines.push(`  Simulator            ${config.simulate} calls/minute`);
  if (demo) {
    lines.push(
      '',
      '  Demo tokens (new at each start; create your own with `shuttle-cti token create`):',
      `    integration  ${demo.integration}`,
      `    agent        ${demo.agent}  (peer ${demo.agentPeer})`,
      `    supervisor   ${demo.supervisor}`,
      `    source       ${demo.source}`,
      '',
      `  Open the agent panel:  ${url}/agent#token=${demo.agent}`,
      `  Open the dashboard:    ${url}/dashboard#token=${demo.supervisor}`,
    );
  }
  lines.push('', '  Stop with Ctrl+C (drains, then exits).', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
