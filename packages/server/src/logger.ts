import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values are secrets: never written to a log line. */
const redact = [
  'token',
  '*.token',
  'auth.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'headers.authorization',
  'req.headers.authorization',
  'databaseUrl',
  'redisUrl',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: redact, censor: '[secret]' }, base: { service: 'shuttle-cti' } };
  return destination ? pino(options, destination) : pino(options);
}

/** `postgres://user:pw@host/db` → `postgres://user:***@host/db`, for banners and logs. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
