import type { Socket } from 'socket.io-client';
import { createAmiSource } from '../../../sources/src/ami/source.js';
import { loadActionTranscript, startActionAmiServer, type ActionAmiServer } from '../../../sources/test/ami/action-ami-server.js';
import type { TranscriptLine } from '../../../sources/test/ami/transcripts.js';
import { startTestHub, type TestHub, type TestHubOptions } from '../helpers.js';

/** A real hub whose Asterisk source talks to the fake AMI playing one call-control recording. */
export async function hubWithPbx(
  name: string,
  options: { skip?: string[]; conns?: number[]; hub?: TestHubOptions; gate?: Promise<void>; cut?: (lines: TranscriptLine[]) => TranscriptLine[] } = {},
): Promise<{ hub: TestHub; pbx: ActionAmiServer; close(): Promise<void> }> {
  const all = loadActionTranscript(name).filter((l) => options.conns === undefined || options.conns.includes(l.conn));
  const lines = options.cut ? options.cut(all) : all;
  const pbx = await startActionAmiServer({ lines, ...(options.skip ? { skip: options.skip } : {}), ...(options.gate ? { gate: options.gate } : {}) });
  const hub = await startTestHub({
    peer: 'IAX2/1000',
    ...options.hub,
    sources: [
      (sink, logger) =>
        createAmiSource({
          url: `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`,
          customVariables: ['ordernumber', 'customerid'],
          transferContext: 'transfer-target',
          reconnect: { initialMs: 20, maxMs: 100 },
          sink,
          logger,
        }),
    ],
  });
  return {
    hub,
    pbx,
    async close() {
      await hub.stop();
      await pbx.close();
    },
  };
}

export type Ack = { ok: true; id: string; uniqueid?: string } | { ok: false; error: { code: string; message: string; field?: string } };

export function send(socket: Socket, command: string, payload: unknown): Promise<Ack> {
  return socket.timeout(40_000).emitWithAck(command, payload) as Promise<Ack>;
}

export async function post(hub: TestHub, path: string, token: string, body: unknown): Promise<{ status: number; body: Ack }> {
  const res = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Ack };
}
