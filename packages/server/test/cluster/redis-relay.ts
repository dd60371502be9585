/**
 * A TCP relay in front of the real Redis, so a test can play "Redis stopped" without
 * touching the Redis other processes use. While cut it still accepts connections and closes
 * them at once, counting them: that count shows the hubs kept retrying.
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface RedisRelay {
  /** redis://127.0.0.1:<port> of the relay. */
  readonly url: string;
  /** Connections refused since the last cut(). */
  readonly refused: number;
  /** Cuts every open connection and refuses new ones. */
  cut(): void;
  /**
   * Stops carrying data without closing anything, and leaves new connections unanswered:
   * a network partition, which no connection reset announces.
   */
  freeze(): void;
  /** Relays new connections to Redis again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startRedisRelay(target: string): Promise<RedisRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'refuse' | 'hang' = 'forward';
  const pairs = new Set<[Socket, Socket]>();
  let refused = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (mode === 'refuse') {
      refused++;
      client.destroy();
      return;
    }
    if (mode === 'hang') return;
    const upstream = connect(Number(port || 6379), hostname || '127.0.0.1');
    track(upstream);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    client.on('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');

  return {
    url: `redis://127.0.0.1:${address.port}`,
    get refused() {
      return refused;
    },
    cut() {
      mode = 'refuse';
      refused = 0;
      for (const socket of sockets) socket.destroy();
    },
    freeze() {
      mode = 'hang';
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    restore() {
      // Whatever was frozen stays dead, as after a real partition; new connections work.
      if (mode === 'hang') for (const socket of sockets) socket.destroy();
      mode = 'forward';
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
