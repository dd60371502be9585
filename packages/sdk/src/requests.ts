import {
  CtiError,
  ErrorCode,
  type AgentCtiCommand,
  type AgentCtiNotificationCommand,
  type CallControlCommandMap,
  type RealtimeCtiCommand,
} from '@shuttle-cti/protocol';
import type { ClientSocket } from './socket.js';
import type { WhenDisconnected } from './types.js';

/** What each request carries (validated before it is sent). */
interface RequestPayloads extends CallControlCommandMap {
  AgentCTI: AgentCtiCommand;
  AgentCTINotification: AgentCtiNotificationCommand;
  RealtimeCTI: RealtimeCtiCommand;
  CustomVariables: { uniqueid: string };
}
export type RequestName = keyof RequestPayloads;
/** A request: its name with the payload of that name. */
export type Outgoing = { [N in RequestName]: { name: N; payload: RequestPayloads[N] } }[RequestName];

type Request = Outgoing & {
  settle: (error: CtiError | null, ack?: unknown) => void;
  whenDisconnected: WhenDisconnected;
};

export interface Requests {
  /** Sends the request and resolves with the hub's raw ack (the caller parses it with its schema). */
  send(outgoing: Outgoing, options: { timeout: number; whenDisconnected: WhenDisconnected }): Promise<unknown>;
  /** A connection is up: send everything that waited for it. */
  attach(socket: ClientSocket): void;
  /** The connection is gone: requests in flight wait again or fail, as each asked. */
  detach(): void;
  /** The client is closing: everything pending fails with `error`. */
  failAll(error: CtiError): void;
}

function emitRequest(socket: ClientSocket, request: Outgoing, ack: (result: unknown) => void): void {
  switch (request.name) {
    case 'AgentCTI':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'AgentCTINotification':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'RealtimeCTI':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'CustomVariables':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'CallDial':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'CallHangup':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'CallTransfer':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'AgentPause':
      socket.emit(request.name, request.payload, ack);
      return;
    case 'AgentQueue':
      socket.emit(request.name, request.payload, ack);
      return;
  }
}

const lostMessage = (name: string): string =>
  `${name}: the connection to the hub was lost before it answered; the command may or may not have been carried out`;

/**
 * Commands waiting for the hub's ack, each with its own timeout, and those waiting for a
 * connection (when the caller chose `whenDisconnected: 'wait'`).
 */
export function createRequests(): Requests {
  let socket: ClientSocket | null = null;
  const waiting: Request[] = [];
  const inFlight = new Set<Request>();

  const transmit = (s: ClientSocket, request: Request): void => {
    inFlight.add(request);
    emitRequest(s, request, (ack) => {
      // An ack from a socket we already left behind is stale: the request was resent or failed.
      if (!inFlight.has(request) || s !== socket) return;
      inFlight.delete(request);
      request.settle(null, ack);
    });
  };

  return {
    send(outgoing, options) {
      const { name } = outgoing;
      return new Promise<unknown>((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
          request.settle(
            new CtiError(ErrorCode.TIMEOUT, `${name}: no answer from the hub within ${options.timeout} ms`),
          );
        }, options.timeout);
        const request: Request = {
          ...outgoing,
          whenDisconnected: options.whenDisconnected,
          settle: (error, ack) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            inFlight.delete(request);
            const index = waiting.indexOf(request);
            if (index >= 0) waiting.splice(index, 1);
            if (error) reject(error);
            else resolve(ack);
          },
        };
        if (socket) transmit(socket, request);
        else if (options.whenDisconnected === 'wait') waiting.push(request);
        else request.settle(new CtiError(ErrorCode.DISCONNECTED, `${name}: not connected to the hub`));
      });
    },
    attach(s) {
      socket = s;
      for (const request of waiting.splice(0)) transmit(s, request);
    },
    detach() {
      socket = null;
      for (const request of [...inFlight]) {
        inFlight.delete(request);
        // Resending is safe: the request keeps its id, which the hub carries out once.
        if (request.whenDisconnected === 'wait') waiting.push(request);
        else request.settle(new CtiError(ErrorCode.DISCONNECTED, lostMessage(request.name)));
      }
    },
    failAll(error) {
      socket = null;
      for (const request of [...inFlight, ...waiting]) request.settle(error);
    },
  };
}
