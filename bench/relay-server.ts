/**
 * The transport's floor: a bare socket.io relay with the hub's fan-out and none of its
 * work (no validation, storage, auth, outbox or live state). Events POSTed to
 * /api/v1/events are numbered and broadcast to integrations, supervisors and the agent
 * of the event's peer; an integration's AgentCTI goes to the room of its peer.
 * Run as its own process: `node --import tsx bench/relay-server.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

type Event = Record<string, unknown>;

let seq = 0;
let commands = 0;
const server = createServer();
const io = new Server(server, { serveClient: false });
const integrations = io.of('/');
const agents = io.of('/agent');
const supervisors = io.of('/supervisor');

server.on('request', (req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/events') return;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event | Event[];
    const items = Array.isArray(body) ? body : [body];
    const time = new Date().toISOString();
    const results = items.map((item) => {
      const event: Event = { ...item, seq: ++seq, time, variables: {} };
      const name = String(event['event']);
      integrations.emit(name, event);
      supervisors.emit(name, event);
      if (typeof event['peer'] === 'string') agents.to(`peer:${event['peer']}`).emit(name, event);
      return { ok: true, seq: event['seq'] };
    });
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: results.length, rejected: 0, results }));
  });
});

integrations.on('connection', (socket) => {
  socket.on('AgentCTI', (command: { url: string; peer: string; mode: string }, ack?: (r: unknown) => void) => {
    const id = `c${++commands}`;
    agents.to(`peer:${command.peer}`).emit('AgentCTI', { id, url: command.url, peer: command.peer, mode: command.mode, time: new Date().toISOString() });
    ack?.({ ok: true, id, delivered: 1, queued: 0 });
  });
});

agents.on('connection', (socket) => {
  const peer = (socket.handshake.auth as { peer?: unknown }).peer;
  void socket.join(`peer:${String(peer)}`);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`relay listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  void io.close(() => process.exit(0));
});
