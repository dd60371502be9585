import type {
  RingingEvent,
  StreamEvent,
  AgentClientToServer,
  AgentServerToClient,
  IntegrationClientToServer,
  IntegrationServerToClient,
  SupervisorClientToServer,
  SupervisorServerToClient,
} from '@shuttle-cti/protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { SessionData } from './auth.js';

/**
 * Messages between hubs (`serverSideEmit`, src/cluster). Left open on purpose: another
 * hub may run another version, so each message is parsed with its zod schema on receipt
 * (src/cluster/messages.ts) rather than trusted by type.
 */
export interface InterServerEvents {
  [event: string]: (message: unknown, ack?: (...results: unknown[]) => void) => void;
}

/** The hub's socket.io server: its default namespace `/` speaks to integrations. */
export type HubServer = Server<IntegrationClientToServer, IntegrationServerToClient, InterServerEvents, SessionData>;

export type IntegrationNamespace = Namespace<IntegrationClientToServer, IntegrationServerToClient, InterServerEvents, SessionData>;
export type AgentNamespace = Namespace<AgentClientToServer, AgentServerToClient, InterServerEvents, SessionData>;
export type SupervisorNamespace = Namespace<SupervisorClientToServer, SupervisorServerToClient, InterServerEvents, SessionData>;

export type IntegrationSocket = Socket<IntegrationClientToServer, IntegrationServerToClient, InterServerEvents, SessionData>;
export type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, InterServerEvents, SessionData>;
export type SupervisorSocket = Socket<SupervisorClientToServer, SupervisorServerToClient, InterServerEvents, SessionData>;
/** A session of any role. */
export type HubSocket = IntegrationSocket | AgentSocket | SupervisorSocket;

// socket.io's `of()` gives every namespace the server's own event maps; these give each
// namespace its own (packages/protocol/src/socket-events.ts), so its emits are checked.
export const integrationsOf = (io: HubServer): IntegrationNamespace => io.of('/');
export const agentsOf = (io: HubServer): AgentNamespace => io.of('/agent');
export const supervisorsOf = (io: HubServer): SupervisorNamespace => io.of('/supervisor');

/**
 * Emits a published event (a call event or `agentstate`) under its own name (`event.event`). socket.io's typed `emit`
 * cannot tie a union of names to the matching payloads (TypeScript#30581); the target
 * must still be one whose map has the call events.
 */
export function emitEvent(target: { emit(name: 'ringing', event: RingingEvent): unknown }, event: StreamEvent): void {
  (target.emit as (name: string, event: StreamEvent) => unknown).call(target, event.event, event);
}
