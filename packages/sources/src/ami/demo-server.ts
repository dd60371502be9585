import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { silentLogger, type SourceLogger } from '../sink.js';
import { demoAgents, demoQueues } from '../simulator/floor.js';
import { channelFields, type DemoChannel } from './demo-channels.js';
import { createDemoTraffic } from './demo-traffic.js';
import { amiField, formatAmiMessage, type AmiActionFields, type AmiMessage } from './parser.js';
import { createAmiServerSession, type AmiServerSession } from './server-session.js';

export interface AmiDemoServerOptions {
  /** Default 0: any free port (read it back from `port`). */
  port?: number;
  host?: string;
  username?: string;
  /** Default: a random one, read back from `secret`. */
  secret?: string;
  /** New calls per minute (default 12). */
  rate?: number;
  /** The channel variables its manager.conf `channelvars` would list. */
  channelVars?: readonly string[];
  /** Multiplies every duration (0.01 plays a 30 s call in 0.3 s); for tests. */
  timeScale?: number;
  random?: () => number;
  logger?: SourceLogger;
}

export interface AmiDemoServer {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly secret: string;
  close(): Promise<void>;
}

/**
 * A fake Asterisk for `npm start -- --ami-demo`: listens for AMI clients and plays
 * endless queue traffic over the real protocol, so the hub's Asterisk source runs
 * exactly as it would against a PBX. It answers Login (plain and MD5), Ping,
 * QueueStatus and CoreShowChannels from the state of its calls.
 */
export async function startAmiDemoServer(options: AmiDemoServerOptions = {}): Promise<AmiDemoServer> {
  const host = options.host ?? '127.0.0.1';
  const username = options.username ?? 'cti';
  const secret = options.secret ?? randomBytes(12).toString('base64url');
  const channelVars = options.channelVars ?? ['ordernumber', 'customerid'];
  const logger = options.logger ?? silentLogger;
  const loginTime = String(Math.floor(Date.now() / 1000));
  const sessions = new Set<AmiServerSession>();
  const traffic = createDemoTraffic({
    send: (text) => {
      for (const s of sessions) if (s.loggedIn) s.send(text);
    },
    callsPerMinute: options.rate ?? 12,
    random: options.random ?? Math.random,
    channelVars,
    timeScale: options.timeScale ?? 1,
  });

  function list(session: AmiServerSession, action: AmiMessage, message: string, complete: string, items: AmiActionFields[]): void {
    const id = amiField(action, 'ActionID');
    const actionId = id === undefined ? {} : { ActionID: id };
    session.reply(action, { Response: 'Success', EventList: 'start', Message: message });
    for (const item of items) session.send(formatAmiMessage({ ...item, ...actionId }));
    session.send(formatAmiMessage({ Event: complete, ...actionId, EventList: 'Complete', ListItems: String(items.length) }));
  }

  function queueStatus(): AmiActionFields[] {
    const items: AmiActionFields[] = [];
    for (const queue of demoQueues) {
      const waiting = traffic.waiting().filter((w) => w.queue === queue);
      items.push({ Event: 'QueueParams', Queue: queue.name, Max: '0', Strategy: queue.strategy, Calls: String(waiting.length), Holdtime: '0', TalkTime: '0', Completed: '0', Abandoned: '0', ServiceLevel: '0', ServicelevelPerf: '0.0', ServicelevelPerf2: '0.0', Weight: '0' });
      for (const peer of queue.members) {
        const busy = traffic.busy(peer);
        const name = demoAgents.find((a) => a.peer === peer)?.name ?? peer;
        items.push({ Event: 'QueueMember', Queue: queue.name, Name: name, Location: peer, StateInterface: peer, Membership: 'static', Penalty: '0', CallsTaken: '0', LastCall: '0', LastPause: '0', LoginTime: loginTime, InCall: busy ? '1' : '0', Status: busy ? '2' : '1', Paused: '0', PausedReason: '', Wrapuptime: '0' });
      }
      for (const [i, w] of waiting.entries()) {
        const ch = w.channel;
        items.push({ Event: 'QueueEntry', Queue: queue.name, Position: String(i + 1), Channel: ch.name, Uniqueid: ch.uniqueid, CallerIDNum: ch.callerNum, CallerIDName: ch.callerName, ConnectedLineNum: '<unknown>', ConnectedLineName: '<unknown>', Wait: String(Math.round((Date.now() - w.since) / 1000)), Priority: '0' });
      }
    }
    return items;
  }

  function coreShowChannel(ch: DemoChannel): AmiActionFields {
    const seconds = Math.floor((Date.now() - ch.createdAt) / 1000);
    const duration = [seconds / 3600, (seconds % 3600) / 60, seconds % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':');
    return { Event: 'CoreShowChannel', ...channelFields(ch, channelVars), Application: ch.application, ApplicationData: ch.appData, Duration: duration, BridgeId: ch.bridgeId };
  }

  const server = createServer((socket) => {
    const session = createAmiServerSession(socket, {
      username,
      secret,
      onLogin: (s) => {
        s.send(formatAmiMessage({ Event: 'FullyBooted', Privilege: 'system,all', Uptime: '1', LastReload: '1', Status: 'Fully Booted' }));
      },
      onAction: (action, s) => {
        const name = amiField(action, 'Action')?.toLowerCase();
        if (name === 'queuestatus') list(s, action, 'Queue status will follow', 'QueueStatusComplete', queueStatus());
        else if (name === 'coreshowchannels') list(s, action, 'Channels will follow', 'CoreShowChannelsComplete', traffic.channels().map(coreShowChannel));
        else return false;
        return true;
      },
    });
    sessions.add(session);
    socket.on('close', () => sessions.delete(session));
  });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  traffic.start();
  logger.info({ host, port, username }, `AMI demo: a fake Asterisk is playing queue traffic on ${host}:${port}`);

  return {
    host,
    port,
    username,
    secret,
    async close() {
      traffic.stop();
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
