import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/ami/backoff.js';
import { parseAmiUrl, resolveAmiEndpoint } from '../../src/ami/endpoint.js';

const noFile = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};

describe('AMI endpoint options', () => {
  it('reads asterisk://user:secret@host:port, decoding escapes', () => {
    expect(resolveAmiEndpoint({ url: 'asterisk://cti:s%40cret%3A1@pbx.example.com:5039' })).toEqual({
      host: 'pbx.example.com',
      port: 5039,
      username: 'cti',
      secret: 's@cret:1',
    });
    expect(parseAmiUrl('asterisk://cti@[::1]')).toEqual({ host: '::1', username: 'cti' });
    expect(resolveAmiEndpoint({ url: 'ami://cti:x@127.0.0.1' }).port).toBe(5038);
  });

  it('takes the secret from a file or an environment variable instead of the URL', () => {
    const files = (path: string) => (path === '/run/secrets/ami' ? 'from-file\n' : noFile(path));
    expect(resolveAmiEndpoint({ url: 'asterisk://cti@127.0.0.1:5038', secretFile: '/run/secrets/ami' }, {}, files).secret).toBe('from-file');
    expect(resolveAmiEndpoint({ url: 'asterisk://cti@127.0.0.1:5038', secretEnv: 'AMI_SECRET' }, { AMI_SECRET: 'from-env' }).secret).toBe(
      'from-env',
    );
    expect(resolveAmiEndpoint({ host: 'h', username: 'u', secret: 'explicit', secretEnv: 'AMI_SECRET' }, { AMI_SECRET: 'x' }).secret).toBe(
      'explicit',
    );
  });

  it('names the field at fault, never the secret', () => {
    const bad = (input: Parameters<typeof resolveAmiEndpoint>[0], env = {}) => {
      try {
        resolveAmiEndpoint(input, env, noFile);
      } catch (error) {
        return error;
      }
      throw new Error('accepted');
    };
    expect(bad({ url: 'http://cti:topsecret@h:5038' })).toMatchObject({ code: 'INVALID_PAYLOAD', field: 'url' });
    expect(String((bad({ url: 'http://cti:topsecret@h:5038' }) as Error).message)).not.toContain('topsecret');
    expect(bad({ url: 'asterisk://127.0.0.1:5038' })).toMatchObject({ field: 'url', message: expect.stringContaining('user name') });
    expect(bad({ url: 'asterisk://cti@127.0.0.1:5038' })).toMatchObject({ field: 'secret' });
    expect(bad({ url: 'asterisk://cti@127.0.0.1', secretEnv: 'AMI_SECRET' })).toMatchObject({ field: 'secretEnv' });
    expect(bad({ url: 'asterisk://cti@127.0.0.1', secretFile: '/nope' })).toMatchObject({ field: 'secretFile' });
    expect(bad({ host: 'h', username: 'u', secret: 's', port: 70000 })).toMatchObject({ field: 'port' });
    expect(bad({ username: 'u', secret: 's' })).toMatchObject({ field: 'host' });
  });
});

describe('reconnect back-off', () => {
  const options = { initialMs: 500, maxMs: 30_000 };

  it('doubles from initialMs, with jitter between half and all of it', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, options, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, options, () => 0))).toEqual([250, 500, 1000, 2000]);
  });

  it('never waits longer than maxMs, however many attempts', () => {
    for (const attempt of [6, 7, 20, 1000]) {
      expect(backoffDelay(attempt, options, () => 1)).toBe(30_000);
      expect(backoffDelay(attempt, options, () => 0)).toBe(15_000);
    }
  });
});
