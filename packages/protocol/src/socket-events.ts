/**
 * The socket.io event maps, written once and used by the hub (Server generics) and
 * by clients (reversed: `Socket<ServerToClient, ClientToServer>`).
 */
import type {
  AgentCtiCommand,
  AgentCtiDelivery,
  AgentCtiNotificationCommand,
  AgentNotificationDelivery,
  CommandAck,
  RealtimeCtiCommand,
  RealtimeRow,
  VariablesAck,
} from './commands.js';
import type { WireError } from './errors.js';
import type { CallEventMap } from './events.js';
import type { AgentPresence, ReplayTruncated, Snapshot, Welcome } from './live.js';

type CallEventListeners = { [K in keyof CallEventMap]: (event: CallEventMap[K]) => void };

/** Default namespace `/`: integrations. */
export interface IntegrationServerToClient extends CallEventListeners {
  welcome: (welcome: Welcome) => void;
  replay_truncated: (info: ReplayTruncated) => void;
  /** Errors for commands sent without an ack callback (older scripts). */
  cti_error: (error: WireError & { command: string }) => void;
}

export interface IntegrationClientToServer {
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
  cti_error: (error: WireError & { command: string }) => void;
}

export interface AgentClientToServer {
  ack: (ack: { id: string }) => void;
}

/** `/supervisor`: dashboards. */
export interface SupervisorServerToClient extends CallEventListeners {
  welcome: (welcome: Welcome) => void;
  snapshot: (snapshot: Snapshot) => void;
  replay_truncated: (info: ReplayTruncated) => void;
  RealtimeCTI: (row: RealtimeRow) => void;
  agent: (presence: AgentPresence) => void;
  cti_error: (error: WireError & { command: string }) => void;
}

// Supervisors only read; the map is empty on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SupervisorClientToServer {}

/** Auth a client sends in the handshake (`auth`), or as query parameters for older clients. */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
}
