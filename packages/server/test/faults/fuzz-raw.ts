import type { Socket } from 'socket.io-client';
import type { Fuzz } from './fuzz-values.js';

/**
 * socket.io packets written by hand onto a connection's engine: broken JSON, unknown
 * packet types, acks for ids never sent, events for namespaces not joined, binary packets
 * missing their attachments. socket.io's decoder closes a connection that sends one it
 * cannot decode; the hub must only ever lose that one connection.
 */
export function rawFrame(fuzz: Fuzz): string {
  const value = (): string => JSON.stringify(fuzz.value()) ?? 'null';
  const frames: (() => string)[] = [
    () => `2${fuzz.string()}`,
    () => '2[',
    () => `2["AgentCTI",${value()}`,
    () => `2${JSON.stringify([fuzz.eventName(), fuzz.value()])}`,
    () => `2${fuzz.int(1e6)}${JSON.stringify(['AgentCTI', fuzz.value()])}`,
    () => `2${JSON.stringify([fuzz.value()])}`,
    () => '2[]',
    () => '2{}',
    () => `3${fuzz.int(1e6)}[]`,
    () => '2/agent,["ack",{"id":"x"}]',
    () => `2/${fuzz.string().slice(0, 20).replace(/,/g, "")},["x"]`,
    () => `0${value()}`,
    () => '51-["AgentCTI",{"_placeholder":true,"num":0}]',
    () => `5${fuzz.int(100)}-["RealtimeCTI",{"_placeholder":true,"num":${fuzz.int(10)}}]`,
    () => `${fuzz.pick(['7', '8', '9', '-', 'x'])}${fuzz.string()}`,
    () => '4{"message":"x"}',
    () => fuzz.string(),
  ];
  return fuzz.pick(frames)();
}

/** The engine under a socket.io-client socket, which can send any text as a socket.io packet. */
export function sendRaw(socket: Socket, frame: string): void {
  (socket.io.engine as unknown as { send(data: string): void }).send(frame);
}
