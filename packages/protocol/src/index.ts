export { CtiError, ErrorCode, httpStatusOf, isWireError, toCtiError } from './errors.js';
export type { WireError } from './errors.js';
export { Limits, jsonByteLength } from './limits.js';
export { escapePeer, peerName, peerProblem } from './peer.js';
export {
  abandonInput,
  callEventInput,
  callEventNames,
  eventFlag,
  hangupInput,
  isCallEventName,
  outboundInput,
  ringendInput,
  ringendReasons,
  ringingInput,
  upInput,
  variablesSchema,
} from './events.js';
export type {
  AbandonEvent,
  CallEvent,
  CallEventInput,
  CallEventMap,
  CallEventName,
  HangupEvent,
  HubFields,
  OutboundEvent,
  RingendEvent,
  RingingEvent,
  UpEvent,
  Variables,
} from './events.js';
export {
  agentAck,
  agentCtiCommand,
  agentCtiNotificationCommand,
  customVariablesRequest,
  httpUrl,
  isHttpUrl,
  notificationTypes,
  realtimeCtiCommand,
  wakeupModes,
} from './commands.js';
export type {
  AgentCtiCommand,
  AgentCtiDelivery,
  AgentCtiNotificationCommand,
  AgentNotificationDelivery,
  CommandAck,
  NotificationType,
  RealtimeCtiCommand,
  RealtimeRow,
  VariablesAck,
  WakeupMode,
} from './commands.js';
export { isRole, roles } from './roles.js';
export type { Role } from './roles.js';
export type {
  AgentPresence,
  AgentState,
  DayStats,
  LiveAgent,
  LiveCall,
  ReplayTruncated,
  Snapshot,
  Welcome,
} from './live.js';
export type {
  AgentClientToServer,
  AgentServerToClient,
  HandshakeAuth,
  IntegrationClientToServer,
  IntegrationServerToClient,
  SupervisorClientToServer,
  SupervisorServerToClient,
} from './socket-events.js';
export { issuePath, parseOrThrow } from './validate.js';
export {
  agentOf,
  applyAgentPresence,
  applyCallEvent,
  boundedFloor,
  createFloor,
  dayOf,
  expireCalls,
  expireFloor,
  floorDefaults,
  floorFromSnapshot,
  parseSeconds,
  presenceOf,
  rollDay,
  setAgentSessions,
} from './floor/index.js';
export type { BoundedFloor, FloorChange, FloorExpiry, FloorLimits, FloorRemovals, FloorState } from './floor/index.js';
export {
  CallControlLimits,
  agentPauseCommand,
  agentQueueCommand,
  agentQueueState,
  agentStateEvent,
  agentStateInput,
  callControlWelcome,
  agentWelcomeState,
  callControlCommandNames,
  callControlOk,
  callControlSchemas,
  callDialCommand,
  callHangupCommand,
  callTransferCommand,
  memberStatuses,
  transferModes,
} from './call-control.js';
export type {
  AgentPauseCommand,
  AgentQueueCommand,
  AgentQueueState,
  AgentStateEvent,
  AgentStateInput,
  CallControl,
  CallControlAck,
  CallControlCommandMap,
  CallControlCommandName,
  CallControlOk,
  CallControlWelcome,
  AgentWelcomeState,
  CallDialAck,
  CallDialCommand,
  CallHangupCommand,
  CallTransferCommand,
  TransferMode,
} from './call-control.js';
export type { CallControlClientToServer } from './socket-events.js';
export { agentReportRow, queueReportRow } from './reports.js';
export type { AgentReportRow, QueueReportRow } from './reports.js';
