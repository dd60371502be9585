import { CtiError, ErrorCode, callControlCommandNames, type CallControlClientToServer, type CallControlCommandName } from '@shuttle-cti/protocol';
import { z } from 'zod';
import type { HubContext } from '../context.js';
import { onCommand, type CommandSocket } from './commands.js';

/** The call-control commands each namespace takes (protocol 1.2); others are refused FORBIDDEN by `refuseOthers`. */
export const callControlCommandsOf = {
  integration: callControlCommandNames,
  agent: callControlCommandNames,
  supervisor: ['CallHangup', 'AgentPause', 'AgentQueue'],
} as const satisfies Record<string, readonly CallControlCommandName[]>;

/**
 * Registers the call-control commands on a socket. The payload is validated and the
 * session's rights checked by the service (src/core/call-control.ts) before anything
 * reaches the PBX; the ack carries the PBX's answer.
 */
export function registerCallControl(socket: CommandSocket<Partial<CallControlClientToServer>>, ctx: HubContext, role: keyof typeof callControlCommandsOf, allow: () => boolean): void {
  const data = socket.data;
  for (const name of callControlCommandsOf[role]) {
    onCommand(socket, ctx, name, z.unknown(), allow, async (payload) => {
      if (!ctx.callControl) throw new CtiError(ErrorCode.NOT_SUPPORTED, 'call control is not available on this hub');
      return ctx.callControl.run(name, payload, { role: data.role, name: data.name, peer: data.peer });
    });
  }
}
