import { readFileSync } from 'node:fs';
import { CtiError, ErrorCode } from '@shuttle-cti/protocol';

/** Where and as whom to log in. */
export interface AmiEndpoint {
  host: string;
  port: number;
  username: string;
  secret: string;
}

export interface AmiEndpointInput {
  /** `asterisk://user:secret@host:5038` (the secret may be left out of it and given below). */
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  secret?: string;
  /** A file holding the secret (a trailing newline is ignored). */
  secretFile?: string;
  /** The name of an environment variable holding the secret. */
  secretEnv?: string;
}

export const defaultAmiPort = 5038;

function invalid(field: string, message: string): CtiError {
  return new CtiError(ErrorCode.INVALID_PAYLOAD, `ami: ${field}: ${message}`, { field });
}

/**
 * Resolves the connection options. The secret is taken, in order, from `secret`,
 * `secretFile`, `secretEnv`, then the URL; error messages never include it.
 */
export function resolveAmiEndpoint(
  input: AmiEndpointInput,
  env: Record<string, string | undefined> = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): AmiEndpoint {
  let fromUrl: Partial<AmiEndpoint> = {};
  if (input.url !== undefined) fromUrl = parseAmiUrl(input.url);
  const host = input.host ?? fromUrl.host;
  const port = input.port ?? fromUrl.port ?? defaultAmiPort;
  const username = input.username ?? fromUrl.username;
  if (host === undefined || host === '') throw invalid(input.url === undefined ? 'host' : 'url', 'the Asterisk host is missing');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('port', 'must be a TCP port (1-65535)');
  if (username === undefined || username === '') {
    throw invalid(input.url === undefined ? 'username' : 'url', 'the AMI user name (manager.conf section) is missing');
  }
  return { host, port, username, secret: secretOf(input, fromUrl.secret, env, readFile) };
}

function secretOf(
  input: AmiEndpointInput,
  fromUrl: string | undefined,
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
): string {
  if (input.secret !== undefined && input.secret !== '') return input.secret;
  if (input.secretFile !== undefined) {
    let text: string;
    try {
      text = readFile(input.secretFile);
    } catch (error) {
      throw new CtiError(ErrorCode.INVALID_PAYLOAD, `ami: secretFile: cannot read ${input.secretFile}`, {
        field: 'secretFile',
        cause: error,
      });
    }
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') throw invalid('secretFile', `${input.secretFile} is empty`);
    return secret;
  }
  if (input.secretEnv !== undefined) {
    const secret = env[input.secretEnv];
    if (secret === undefined || secret === '') throw invalid('secretEnv', `the environment variable ${input.secretEnv} is not set`);
    return secret;
  }
  if (fromUrl !== undefined && fromUrl !== '') return fromUrl;
  throw invalid('secret', 'the AMI secret is missing (give it in the URL, secret, secretFile or secretEnv)');
}

/** `asterisk://user:secret@host:5038` → its parts (percent-escapes decoded). */
export function parseAmiUrl(url: string): Partial<AmiEndpoint> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('url', 'expected asterisk://user:secret@host:5038');
  }
  if (parsed.protocol !== 'asterisk:' && parsed.protocol !== 'ami:') {
    throw invalid('url', `unsupported scheme ${parsed.protocol}; expected asterisk://user:secret@host:5038`);
  }
  const out: Partial<AmiEndpoint> = { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') };
  if (parsed.port !== '') out.port = Number(parsed.port);
  if (parsed.username !== '') out.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') out.secret = decodeURIComponent(parsed.password);
  return out;
}
