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
  /** Relays new connections to Redis again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startRedisRelay(target: string): Promise<RedisRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let forwarding = true;
  let refused = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (!forwarding) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = connect(Number(port || 6379), hostname || '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
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
      forwarding = false;
      refused = 0;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      forwarding = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
