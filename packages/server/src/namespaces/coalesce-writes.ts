import type { Server } from 'socket.io';

/** What the hub needs of a connection's TCP (or TLS) socket. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The engine.io connection as far as this module looks into it. */
interface EngineConnection {
  transport?: { name?: string; socket?: { _socket?: Partial<Corkable> } };
}

/**
 * The TCP socket under a websocket connection, or undefined (polling, or a transport whose
 * inside is not what this module expects: then writes simply are not coalesced).
 * engine.io's websocket transport keeps the `ws` WebSocket as `socket`; `ws` keeps the
 * net.Socket as `_socket` (engine.io itself reaches into `ws` the same way, for `_sender`).
 */
function rawSocketOf(conn: EngineConnection): Corkable | undefined {
  const transport = conn.transport;
  if (transport?.name !== 'websocket') return undefined;
  const raw = transport.socket?._socket;
  return typeof raw?.cork === 'function' && typeof raw.uncork === 'function' ? (raw as Corkable) : undefined;
}

/**
 * Writes everything one event-loop turn sends to a connection in one system call.
 *
 * socket.io writes each packet as its own websocket frame with its own `writev`: a batch
 * of 40 call events to an integration was 40 system calls, and the same again for the
 * supervisor. Those writes were the largest share of the hub's CPU in the benchmark.
 * When engine.io flushes packets to a websocket connection, its socket is corked until
 * the current turn's synchronous work (and its microtasks) is done, then uncorked: the
 * frames leave together, in order, in one write. Nothing waits for a timer, and a close
 * frame written meanwhile (the hub shutting down) leaves with the rest at the end of the
 * turn.
 *
 * Every connection is corked this way, agents' too: pops that leave the outbox together
 * (one per integration that answers the same call, or the backlog replayed on reconnect)
 * share a write.
 */
export function coalesceWrites(io: Server): void {
  const corked: Corkable[] = [];
  const uncorkAll = (): void => {
    for (const raw of corked.splice(0)) raw.uncork();
  };
  io.engine.on('flush', (conn: EngineConnection) => {
    const raw = rawSocketOf(conn);
    if (!raw) return;
    raw.cork();
    corked.push(raw);
    if (corked.length === 1) process.nextTick(uncorkAll);
  });
}
