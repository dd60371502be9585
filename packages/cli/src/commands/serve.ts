import { createAmiSource, createSimulator, demoAgents, startAmiDemoServer, type AmiDemoServer } from '@shuttle-cti/sources';
import { createHub, createLogger, createToken, maskUrl, type Hub, type HubOptions } from '@shuttle-cti/server';
import type { Command } from 'commander';
import { hubConfigOf, resolveServeConfig, type ServeConfig } from '../config.js';
import { ExitCode, ExitError } from '../exit-codes.js';
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
  ami?: string;
  amiSecretFile?: string;
  amiMd5?: boolean;
  amiDemo?: boolean;
  customVariables?: string;
  outboundContexts?: string;
  dialContext?: string;
  transferContext?: string;
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);

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
    .option('--ami <url>', 'take queue calls from Asterisk: asterisk://user@host:5038 (secret via --ami-secret-file or SHUTTLE_CTI_AMI_SECRET)')
    .option('--ami-secret-file <file>', 'file holding the AMI secret')
    .option('--ami-md5', 'log in to AMI with the MD5 challenge')
    .option('--ami-demo', 'run a fake Asterisk playing demo traffic and take calls from it over AMI (prints demo tokens)')
    .option('--custom-variables <names>', 'channel variables that become custom variables, e.g. ordernumber,customerid')
    .option('--outbound-contexts <names>', 'dialplan contexts of agents calling out (default from-internal)')
    .option('--dial-context <name>', 'dialplan context of the numbers CallDial dials (default from-internal)')
    .option('--transfer-context <name>', 'dialplan context of transfer targets (default from-internal)')
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
          ami: flags.ami ? { url: flags.ami, secretFile: flags.amiSecretFile, auth: flags.amiMd5 ? 'md5' : undefined } : undefined,
          amiDemo: flags.amiDemo,
          customVariables: list(flags.customVariables),
          outboundContexts: list(flags.outboundContexts),
          dialContext: flags.dialContext,
          transferContext: flags.transferContext,
        },
      });
      await serve(config);
    });
}

export async function serve(config: ServeConfig): Promise<void> {
  const logger = createLogger(config.logLevel);
  const sources: NonNullable<HubOptions['sources']> = [];
  // With --ami-demo the demo traffic comes through a fake Asterisk instead of the in-process simulator.
  if (config.simulate && !config.amiDemo) {
    const callsPerMinute = config.simulate;
    sources.push((sink, log) => createSimulator({ sink, callsPerMinute, logger: log }));
  }
  const { customVariables, outboundContexts, dialContext, transferContext } = config;
  let amiDemo: AmiDemoServer | undefined;
  if (config.amiDemo) {
    amiDemo = await startAmiDemoServer({ logger, rate: config.simulate ?? 12, channelVars: customVariables.length > 0 ? customVariables : ['ordernumber', 'customerid'] });
    const demo = amiDemo;
    const vars = customVariables.length > 0 ? customVariables : ['ordernumber', 'customerid'];
    sources.push((sink, log) =>
      createAmiSource({ host: demo.host, port: demo.port, username: demo.username, secret: demo.secret, customVariables: vars, outboundContexts, dialContext, transferContext, sink, logger: log }),
    );
  }
  if (config.ami) {
    const { url, secret, secretFile, secretEnv, auth } = config.ami;
    sources.push((sink, log) => {
      const source = createAmiSource({
        url,
        ...(secret ? { secret } : {}),
        ...(secretFile ? { secretFile } : {}),
        ...(secretEnv ? { secretEnv } : {}),
        auth,
        customVariables,
        outboundContexts,
        dialContext,
        transferContext,
        sink,
        logger: log,
      });
      source.on('error', (error) => log.error({ code: error.code }, `Asterisk refused the login: ${error.message}; the AMI source has stopped`));
      return { name: 'asterisk', control: source.control, start: () => source.start(), stop: () => source.stop() };
    });
  }
  let hub: Hub;
  try {
    hub = await createHub({ config: hubConfigOf(config), logger, sources });
  } catch (error) {
    await amiDemo?.close();
    throw error;
  }
  const demo = config.simulate || config.amiDemo ? await demoTokens(hub) : undefined;
  try {
    await hub.listen();
  } catch (error) {
    await hub.close();
    await amiDemo?.close();
    throw listenError(error, config);
  }
  // Ready for a signal before saying so: a supervisor may stop the hub as soon as the banner shows.
  const stopped = onShutdown(async () => {
    logger.info('shutting down: draining events and closing connections');
    await hub.close();
    await amiDemo?.close();
    logger.info('stopped');
  });
  printBanner(hub, config, demo, amiDemo);
  await stopped;
}

/** Turns the usual reasons a port cannot be opened into a message that says what to do. */
function listenError(error: unknown, config: ServeConfig): unknown {
  const code = (error as { code?: unknown }).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') return new ExitError(ExitCode.FAILURE, `port ${config.port} is already in use (${where}): stop the other process or choose another with --port`);
  if (code === 'EACCES') return new ExitError(ExitCode.FAILURE, `no permission to listen on ${where}: ports below 1024 need privileges; choose another with --port`);
  if (code === 'EADDRNOTAVAIL') return new ExitError(ExitCode.USAGE, `${config.host} is not an address of this machine (--host)`);
  return error;
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

function printBanner(hub: Hub, config: ServeConfig, demo: DemoTokens | undefined, amiDemo: AmiDemoServer | undefined): void {
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
  if (config.simulate && !amiDemo) lines.push(`  Simulator            ${config.simulate} calls/minute`);
  if (config.ami) lines.push(`  Asterisk AMI         ${config.ami.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`);
  if (amiDemo) lines.push(`  Asterisk AMI         demo PBX at ${amiDemo.host}:${amiDemo.port} (fake Asterisk playing queue traffic)`);
  if (config.customVariables.length > 0) lines.push(`  Custom variables     ${config.customVariables.join(', ')}`);
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
