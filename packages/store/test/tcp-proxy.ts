import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/** A free TCP port on 127.0.0.1 (free when this returns; nothing listens on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A TCP relay to a real server that a test can cut and restore, to play "the database went
 * away" without touching the database itself. `forward: false` accepts connections and then
 * never answers (a server that hangs).
 */
export interface TcpProxy {
  start(): Promise<void>;
  /** Stops listening and cuts every open connection. */
  stop(): Promise<void>;
}

export function createTcpProxy(port: number, target: { host: string; port: number }, forward = true): TcpProxy {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    async start() {
      server = createServer((client) => {
        track(client);
        if (!forward) return;
        const upstream = connect(target.port, target.host);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async stop() {
      const current = server;
      server = undefined;
      if (current === undefined) return;
      for (const socket of sockets) socket.destroy();
      current.close();
      await once(current, 'close');
    },
  };
}
