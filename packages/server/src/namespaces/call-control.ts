import { callControlCommandNames, type CallControlClientToServer, type CallControlCommandName } from '@shuttle-cti/protocol';
import { z } from 'zod';
import type { CallControlService } from '../core/call-control.js';
import type { SessionData } from './auth.js';
import { onCommand, type CommandDeps, type CommandEntry, type CommandSocket } from './commands.js';

/** The call-control commands each namespace takes (protocol 1.2); others are refused FORBIDDEN by `refuseOthers`. */
export const callControlCommandsOf = {
  integration: callControlCommandNames,
  agent: callControlCommandNames,
  supervisor: ['CallHangup', 'AgentPause', 'AgentQueue'],
} as const satisfies Record<string, readonly CallControlCommandName[]>;

/** The service validates call-control payloads itself; one schema for every socket (a zod schema per socket and command cost about 1 KiB each). */
const anyPayload = z.unknown();

/**
 * Registers the call-control commands on a socket. The payload is validated and the
 * session's rights checked by the service (src/core/call-control.ts) before anything
 * reaches the PBX; the ack carries the PBX's answer.
 */
export function registerCallControl(socket: CommandSocket<Partial<CallControlClientToServer>>, ctx: CommandDeps & { callControl: CallControlService }, role: keyof typeof callControlCommandsOf, allow: () => boolean): void {
  const data = socket.data;
  for (const name of callControlCommandsOf[role]) {
    onCommand(socket, ctx, name, anyPayload, allow, async (payload) => {
      return ctx.callControl.run(name, payload, { role: data.role, name: data.name, peer: data.peer, scope: data.scope });
    });
  }
}

/** The same commands as entries of a namespace's command table (see `dispatchCommands`), built once for all its sockets. */
export function callControlEntries(callControl: CallControlService, role: keyof typeof callControlCommandsOf): [string, CommandEntry][] {
  return callControlCommandsOf[role].map((name) => [
    name,
    {
      schema: anyPayload,
      async handle(payload, data: SessionData) {
        return callControl.run(name, payload, { role: data.role, name: data.name, peer: data.peer, scope: data.scope });
      },
    },
  ]);
}
