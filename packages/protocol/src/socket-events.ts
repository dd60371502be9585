/**
 * The socket.io event maps, written once and used by the hub (Server generics) and
 * by clients (reversed: `Socket<ServerToClient, ClientToServer>`).
 */
import type {
  AgentAckResult,
  AgentCtiCommand,
  AgentCtiDelivery,
  AgentCtiNotificationCommand,
  AgentNotificationDelivery,
  CommandAck,
  RealtimeCtiCommand,
  RealtimeRow,
  VariablesAck,
} from './commands.js';
import type { AgentStateEvent, CallControlAck, CallControlCommandMap, CallDialAck } from './call-control.js';
import type { CommandError } from './errors.js';
import type { CallEventMap } from './events.js';
import type { AgentPresence, ReplayTruncated, Snapshot, Welcome } from './live.js';

type CallEventListeners = { [K in keyof CallEventMap]: (event: CallEventMap[K]) => void } & {
  agentstate: (event: AgentStateEvent) => void;
};

/** Call-control commands (protocol 1.2), each with an ack carrying the PBX's answer. */
export interface CallControlClientToServer {
  CallDial: (command: CallControlCommandMap['CallDial'], ack: (result: CallDialAck) => void) => void;
  CallHangup: (command: CallControlCommandMap['CallHangup'], ack: (result: CallControlAck) => void) => void;
  CallTransfer: (command: CallControlCommandMap['CallTransfer'], ack: (result: CallControlAck) => void) => void;
  AgentPause: (command: CallControlCommandMap['AgentPause'], ack: (result: CallControlAck) => void) => void;
  AgentQueue: (command: CallControlCommandMap['AgentQueue'], ack: (result: CallControlAck) => void) => void;
}

/** Default namespace `/`: integrations. */
export interface IntegrationServerToClient extends CallEventListeners {
  welcome: (welcome: Welcome) => void;
  replay_truncated: (info: ReplayTruncated) => void;
  /** Errors for commands sent without an ack callback (older scripts). */
  cti_error: (error: CommandError) => void;
}

export interface IntegrationClientToServer extends CallControlClientToServer {
  AgentCTI: (command: AgentCtiCommand, ack?: (result: CommandAck) => void) => void;
  AgentCTINotification: (command: AgentCtiNotificationCommand, ack?: (result: CommandAck) => void) => void;
  RealtimeCTI: (command: RealtimeCtiCommand, ack?: (result: CommandAck) => void) => void;
  CustomVariables: (request: { uniqueid: string }, ack: (result: VariablesAck) => void) => void;
}

/** `/agent`: agent panels. */
export interface AgentServerToClient extends CallEventListeners {
  welcome: (welcome: Welcome) => void;
  AgentCTI: (command: AgentCtiDelivery) => void;
  AgentCTINotification: (command: AgentNotificationDelivery) => void;
  cti_error: (error: CommandError) => void;
}

/** Agents may act on their own peer and their own current call only. */
export interface AgentClientToServer extends CallControlClientToServer {
  ack: (ack: { id: string }, done?: (result: AgentAckResult) => void) => void;
}

/** `/supervisor`: dashboards. */
export interface SupervisorServerToClient extends CallEventListeners {
  welcome: (welcome: Welcome) => void;
  snapshot: (snapshot: Snapshot) => void;
  replay_truncated: (info: ReplayTruncated) => void;
  RealtimeCTI: (row: RealtimeRow) => void;
  agent: (presence: AgentPresence) => void;
  cti_error: (error: CommandError) => void;
}

/** Supervisors hang up, pause and manage queue membership (protocol 1.2). */
export type SupervisorClientToServer = Pick<CallControlClientToServer, 'CallHangup' | 'AgentPause' | 'AgentQueue'>;

/** Auth a client sends in the handshake (`auth`), or as query parameters for older clients. */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
}
