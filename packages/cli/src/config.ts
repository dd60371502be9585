import { readFileSync } from 'node:fs';
import { hubConfigSchema, type HubConfigInput } from '@shuttle-cti/server';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ExitCode, ExitError } from './exit-codes.js';

/** `serve` settings beyond the hub's own: which sources feed it. */
const serveExtras = z.object({
  /** Simulated calls per minute; 0 or absent: no simulator. */
  simulate: z.number().min(0).optional(),
  /** The Asterisk Manager Interface to take queue calls from. */
  ami: z
    .object({
      url: z.string().regex(/^asterisk:\/\//, 'expected asterisk://user@host:5038'),
      /** The AMI secret, when not in the URL (prefer secretFile or secretEnv). */
      secret: z.string().optional(),
      /** A file holding the secret. */
      secretFile: z.string().optional(),
      /** The name of an environment variable holding the secret. */
      secretEnv: z.string().optional(),
      /** `md5` logs in with a challenge, so the secret never crosses the network. */
      auth: z.enum(['plain', 'md5']).default('plain'),
    })
    .optional(),
  /** Runs a fake Asterisk playing demo traffic, and takes calls from it over AMI. */
  amiDemo: z.boolean().optional(),
  /** Channel variables that become custom variables (Settings → Integrations → Custom variables). */
  customVariables: z.array(z.string().min(1)).default([]),
  /** Dialplan contexts in which an agent's call is an `outbound` call. */
  outboundContexts: z.array(z.string().min(1)).default(['from-internal']),
  /** Dialplan context of the numbers CallDial dials (protocol 1.2). */
  dialContext: z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/, 'a dialplan context name').default('from-internal'),
  /** Dialplan context of transfer targets. */
  transferContext: z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/, 'a dialplan context name').default('from-internal'),
});

export const serveConfigSchema = hubConfigSchema.extend(serveExtras.shape);
export type ServeConfig = z.output<typeof serveConfigSchema>;

/** Environment variables and the config key each one sets. */
export const envKeys: Record<string, { path: string[]; type: 'string' | 'number' | 'boolean' | 'list' }> = {
  SHUTTLE_CTI_PORT: { path: ['port'], type: 'number' },
  SHUTTLE_CTI_HOST: { path: ['host'], type: 'string' },
  SHUTTLE_CTI_DATA: { path: ['dataDir'], type: 'string' },
  DATABASE_URL: { path: ['databaseUrl'], type: 'string' },
  REDIS_URL: { path: ['redisUrl'], type: 'string' },
  SHUTTLE_CTI_LOG_LEVEL: { path: ['logLevel'], type: 'string' },
  SHUTTLE_CTI_TLS_CERT: { path: ['tls', 'cert'], type: 'string' },
  SHUTTLE_CTI_TLS_KEY: { path: ['tls', 'key'], type: 'string' },
  SHUTTLE_CTI_TRUST_LOOPBACK: { path: ['trustLoopbackIntegrations'], type: 'boolean' },
  SHUTTLE_CTI_AMI_URL: { path: ['ami', 'url'], type: 'string' },
  SHUTTLE_CTI_AMI_SECRET: { path: ['ami', 'secret'], type: 'string' },
  SHUTTLE_CTI_AMI_SECRET_FILE: { path: ['ami', 'secretFile'], type: 'string' },
  SHUTTLE_CTI_OUTBOUND_CONTEXTS: { path: ['outboundContexts'], type: 'list' },
  SHUTTLE_CTI_CUSTOM_VARIABLES: { path: ['customVariables'], type: 'list' },
  SHUTTLE_CTI_DIAL_CONTEXT: { path: ['dialContext'], type: 'string' },
  SHUTTLE_CTI_TRANSFER_CONTEXT: { path: ['transferContext'], type: 'string' },
};

type Plain = Record<string, unknown>;

function setPath(target: Plain, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Plain;
  }
  node[path[path.length - 1] as string] = value;
}

function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) && typeof prev === 'object' && prev !== null
        ? merge(prev as Plain, value as Plain)
        : value;
  }
  return out;
}

export function readConfigFile(file: string): Plain {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExitError(ExitCode.USAGE, `cannot read config file ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected an object at the top');
    return parsed as Plain;
  } catch (error) {
    throw new ExitError(ExitCode.USAGE, `config file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
}

export function readEnv(env: NodeJS.ProcessEnv): Plain {
  const out: Plain = {};
  for (const [name, { path, type }] of Object.entries(envKeys)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (type === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value)) throw new ExitError(ExitCode.USAGE, `${name}: expected a number, got "${raw}"`);
    } else if (type === 'boolean') {
      if (!/^(1|0|true|false|yes|no)$/i.test(raw)) throw new ExitError(ExitCode.USAGE, `${name}: expected true or false, got "${raw}"`);
      value = /^(1|true|yes)$/i.test(raw);
    } else if (type === 'list') {
      value = raw.split(',').map((s) => s.trim()).filter(Boolean);
    }
    setPath(out, path, value);
  }
  return out;
}

/**
 * Resolves the serve configuration: defaults < config file < environment < flags.
 * A bad value is a usage error naming the key.
 */
export function resolveServeConfig(sources: { file?: string | undefined; env?: NodeJS.ProcessEnv; flags?: Plain }): ServeConfig {
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const merged = merge(merge(fromFile, readEnv(sources.env ?? {})), sources.flags ?? {});
  const result = serveConfigSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path.map(String).join('.') ?? '';
    throw new ExitError(ExitCode.USAGE, `invalid configuration${key ? ` at "${key}"` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function hubConfigOf(config: ServeConfig): HubConfigInput {
  const { simulate: _s, ami: _a, amiDemo: _d, customVariables: _c, outboundContexts: _o, dialContext: _dc, transferContext: _tc, ...hub } = config;
  return hub;
}
