import { createClient } from 'redis';
import { maskUrl, type Logger } from '../logger.js';
import { createSubscriptions, type Subscriptions } from './subscriptions.js';

type RedisClient = ReturnType<typeof createClient>;

/**
 * The hub's two connections to Redis (one publishes, one is in subscriber mode, as the
 * socket.io Redis adapter requires), and whether both are usable right now.
 */
export interface RedisLink {
  /** Both connections are ready: cross-hub messages go out and come in. */
  isUp(): boolean;
  /** Called with `true` when the link comes (back) up and `false` when it goes down. */
  onChange(listener: (up: boolean) => void): void;
  /**
   * The clients to hand to the socket.io Redis adapter. The adapter publishes without
   * awaiting or catching (a rejected publish would be an unhandled rejection and end the
   * process), and node-redis queues commands while disconnected (stale room broadcasts and
   * commands would be replayed when Redis returns). So these wrappers drop publishes while
   * the link is down, fail other commands at once, and never let a rejection escape.
   */
  readonly adapterPub: RedisClient;
  readonly adapterSub: RedisClient;
  close(): Promise<void>;
}

const guardedMethods = new Set(['publish', 'pSubscribe', 'subscribe', 'pUnsubscribe', 'unsubscribe', 'sSubscribe', 'sUnsubscribe']);

function guard(client: RedisClient, isUp: () => boolean, onFailure: (error: unknown) => void, subscriptions?: Subscriptions): RedisClient {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === 'publish') {
        return (...args: unknown[]) => {
          if (!isUp()) return Promise.resolve(0);
          return Promise.resolve(fn.apply(target, args)).catch(onFailure);
        };
      }
      if (prop === 'sendCommand') {
        return (...args: unknown[]) => (isUp() ? fn.apply(target, args) : Promise.reject(new Error('Redis is unreachable')));
      }
      if (typeof prop === 'string' && guardedMethods.has(prop)) {
        return (...args: unknown[]) => {
          subscriptions?.note(prop, args);
          try {
            return Promise.resolve(fn.apply(target, args)).catch(onFailure);
          } catch (error) {
            onFailure(error);
            return Promise.resolve();
          }
        };
      }
      return fn.bind(target);
    },
  });
}

/**
 * Connects to Redis and keeps retrying forever with a capped back-off, so a hub started
 * while Redis is down, or that loses it later, keeps serving its own clients and joins the
 * others again by itself. An outage is logged once when it starts and once when it ends,
 * never once per retry.
 */
export function createRedisLink(url: string, logger: Logger, probe: { channel: string; everyMs: number }): RedisLink {
  if (!/^rediss?:\/\/[^/]/i.test(url)) {
    // Only the scheme is echoed: the rest may hold a password.
    throw new Error(`redisUrl must look like redis://host:6379 or rediss://host:6380 (got scheme "${url.split(':')[0] ?? ''}:")`);
  }
  const options = {
    url,
    // Commands fail instead of waiting in memory while Redis is away (see adapterPub).
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000) + Math.floor(Math.random() * 100),
    },
  };
  const pub = createClient(options);
  const sub = createClient(options);
  const listeners: ((up: boolean) => void)[] = [];
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  let closing = false;
  let closed = false;

  const isUp = (): boolean => !closing && pub.isReady && sub.isReady;
  const setState = (next: 'up' | 'down', error?: unknown): void => {
    if (closed || state === next) return;
    const previous = state;
    state = next;
    if (next === 'down') {
      logger.warn(
        { err: error, redis: maskUrl(url) },
        previous === 'connecting'
          ? 'Redis unreachable: this hub serves its own clients; cross-hub routing starts when Redis answers'
          : 'Redis unreachable: this hub serves its own clients; cross-hub routing paused until Redis is back',
      );
    } else {
      logger.info({ redis: maskUrl(url) }, previous === 'connecting' ? 'Redis connected: cross-hub routing on' : 'Redis reachable again: cross-hub routing resumed');
    }
    for (const listener of listeners) listener(next === 'up');
  };

  for (const client of [pub, sub]) {
    // Without an 'error' listener node-redis would throw; each retry emits one, so they
    // only change the state here (logged once per outage).
    client.on('error', (error: unknown) => setState('down', error));
    client.on('reconnecting', () => setState('down'));
    client.on('ready', () => {
      if (isUp()) setState('up');
    });
    client.connect().catch((error: unknown) => {
      if (!closing) logger.error({ err: error, redis: maskUrl(url) }, 'Redis connection given up');
    });
  }

  const onFailure = (error: unknown): void => {
    if (!closing) logger.debug({ err: error }, 'Redis command failed');
  };
  const subscriptions = createSubscriptions();
  sub.on('ready', () => {
    subscriptions.replay((method, args) => {
      const fn = (sub as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      try {
        Promise.resolve(fn?.apply(sub, args)).catch(onFailure);
      } catch (error) {
        onFailure(error);
      }
    });
  });

  const adapterSub = guard(sub, isUp, onFailure, subscriptions);

  // A connection that silently stops carrying data (no reset: a network partition) is not
  // noticed by the client for many minutes. So the hub sends itself a message through Redis
  // now and then; when one has not come back by two rounds later, both connections are
  // opened anew (node-redis resubscribes on the new one).
  let sent = 0;
  let awaited: { n: number; rounds: number } | undefined;
  void adapterSub.subscribe(probe.channel, (message: string) => {
    if (awaited && message === String(awaited.n)) awaited = undefined;
  });
  const watchdog = setInterval(() => {
    if (!isUp()) {
      awaited = undefined;
      return;
    }
    if (awaited && ++awaited.rounds >= 2) {
      awaited = undefined;
      setState('down', new Error(`no answer from Redis for ${probe.everyMs * 2} ms`));
      for (const client of [pub, sub]) {
        if (client.isOpen) client.destroy();
        client.connect().catch(() => undefined);
      }
      return;
    }
    if (awaited) return;
    awaited = { n: ++sent, rounds: 0 };
    pub.publish(probe.channel, String(sent)).catch(() => undefined);
  }, probe.everyMs);
  watchdog.unref();

  return {
    isUp,
    onChange(listener) {
      listeners.push(listener);
    },
    adapterPub: guard(pub, isUp, onFailure),
    adapterSub,
    async close() {
      if (closing || closed) return;
      closed = true;
      clearInterval(watchdog);
      // Let what was already published (a goodbye to the other hubs) go out, but never
      // wait long for a Redis that is not answering.
      if (pub.isReady) {
        await Promise.race([pub.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      }
      closing = true;
      for (const client of [pub, sub]) {
        if (client.isOpen) client.destroy();
      }
    },
  };
}
