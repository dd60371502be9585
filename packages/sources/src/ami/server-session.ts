import { createHash, randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { amiField, createAmiParser, formatAmiMessage, type AmiActionFields, type AmiMessage } from './parser.js';

/**
 * The Asterisk side of one AMI connection, for the demo PBX and the tests' fake PBX:
 * greets with the banner, answers Login (plain and MD5 challenge), Challenge, Ping and
 * Logoff as Asterisk does, and hands any other action to `onAction`.
 */
export interface AmiServerSession {
  readonly socket: Socket;
  readonly loggedIn: boolean;
  /** Writes raw AMI text (one or more messages). */
  send(text: string): void;
  /** Answers `action` with a response carrying its ActionID. */
  reply(action: AmiMessage, fields: AmiActionFields): void;
  /** Stops answering anything, leaving the connection open: a hung Asterisk. */
  hang(): void;
}

export interface AmiServerSessionOptions {
  username: string;
  secret: string;
  banner?: string;
  /** How bytes go out; default one write per message. */
  write?: (socket: Socket, text: string) => void;
  onLogin?: (session: AmiServerSession) => void;
  /** Any action past login other than Ping/Logoff; return false to answer "Invalid/unknown command". */
  onAction?: (action: AmiMessage, session: AmiServerSession) => boolean;
  onAnyAction?: (action: AmiMessage) => void;
}

export function createAmiServerSession(socket: Socket, options: AmiServerSessionOptions): AmiServerSession {
  const parser = createAmiParser({ expectBanner: false });
  const write = options.write ?? ((s: Socket, text: string) => s.write(text));
  let loggedIn = false;
  let hung = false;
  let challenge: string | undefined;

  const session: AmiServerSession = {
    socket,
    get loggedIn() {
      return loggedIn;
    },
    send(text) {
      if (!socket.destroyed && socket.writable) write(socket, text);
    },
    reply(action, fields) {
      const id = amiField(action, 'ActionID');
      const { Response: response, ...rest } = fields;
      session.send(formatAmiMessage({ Response: response, ...(id === undefined ? {} : { ActionID: id }), ...rest }));
    },
    hang() {
      hung = true;
    },
  };

  function login(action: AmiMessage): void {
    const user = amiField(action, 'Username');
    const authType = amiField(action, 'AuthType')?.toLowerCase();
    const key = amiField(action, 'Key');
    const ok =
      user === options.username &&
      (authType === 'md5'
        ? challenge !== undefined && key === createHash('md5').update(challenge + options.secret).digest('hex')
        : amiField(action, 'Secret') === options.secret);
    if (!ok) {
      // Asterisk answers, then closes the session.
      session.reply(action, { Response: 'Error', Message: 'Authentication failed' });
      socket.end();
      return;
    }
    loggedIn = true;
    session.reply(action, { Response: 'Success', Message: 'Authentication accepted' });
    options.onLogin?.(session);
  }

  function handle(action: AmiMessage): void {
    options.onAnyAction?.(action);
    const name = amiField(action, 'Action')?.toLowerCase();
    if (name === 'login') return login(action);
    if (name === 'challenge') {
      challenge = String(randomInt(100_000_000, 999_999_999));
      return session.reply(action, { Response: 'Success', Challenge: challenge });
    }
    if (name === 'logoff') {
      session.reply(action, { Response: 'Goodbye', Message: 'Thanks for all the fish.' });
      socket.end();
      return;
    }
    if (!loggedIn) return session.reply(action, { Response: 'Error', Message: 'Permission denied' });
    if (name === 'ping') {
      const now = Date.now();
      return session.reply(action, { Response: 'Success', Ping: 'Pong', Timestamp: `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}` });
    }
    if (options.onAction?.(action, session) === true) return;
    session.reply(action, { Response: 'Error', Message: 'Invalid/unknown command' });
  }

  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    if (hung) return;
    let frames;
    try {
      frames = parser.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const frame of frames) if (frame.type === 'message' && !hung) handle(frame.message);
  });
  socket.on('error', () => undefined);
  session.send(`${options.banner ?? 'Asterisk Call Manager/13.0.0'}\r\n`);
  return session;
}
