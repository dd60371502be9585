export { CtiError, ErrorCode, commandError, errorAnswer, errorCode, httpStatusOf, isWireError, toCtiError, wireError } from './errors.js';
export type { CommandError, ErrorAnswer, WireError } from './errors.js';
export { Limits, jsonByteLength } from './limits.js';
export { escapePeer, peerName, peerProblem } from './peer.js';
export {
  abandonEvent,
  abandonInput,
  callEvent,
  callEventInput,
  callEventNames,
  eventFlag,
  hangupEvent,
  hangupInput,
  hubFieldsSchema,
  isCallEventName,
  outboundEvent,
  outboundInput,
  ringendEvent,
  ringendInput,
  ringendReasons,
  ringingEvent,
  ringingInput,
  upEvent,
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
  agentAckResult,
  agentCtiCommand,
  agentCtiDelivery,
  agentCtiNotificationCommand,
  agentNotificationDelivery,
  commandAck,
  customVariablesRequest,
  failedAck,
  httpUrl,
  isHttpUrl,
  notificationTypes,
  realtimeCtiCommand,
  realtimeRow,
  variablesAck,
  wakeupModes,
} from './commands.js';
export type {
  AgentAckResult,
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
export {
  describeScope,
  eventInScope,
  isEmptyScope,
  leftScopePresence,
  normalizeScope,
  presenceLeavesScope,
  realtimeRowInScope,
  scopeKey,
  scopeMatcher,
  scopeMaxNames,
  scopeQueueName,
  scopeSchema,
} from './scope.js';
export type { Scope, ScopeMatcher } from './scope.js';
export type { Role } from './roles.js';
export { agentPresence, agentStates, dayStats, liveAgent, liveCall, replayTruncated, snapshot, welcome } from './live.js';
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
  applyAgentState,
  applyCallEvent,
  boundedFloor,
  createFloor,
  dayOf,
  expireCalls,
  expireFloor,
  floorDefaults,
  forgetAgent,
  floorFromSnapshot,
  ownAgentState,
  parseSeconds,
  presenceOf,
  rollDay,
  setAgentSessions,
} from './floor/index.js';
export type { BoundedFloor, FloorChange, FloorFilter, FloorExpiry, FloorLimits, FloorRemovals, FloorState, QueueMembership } from './floor/index.js';
export {
  CallControlLimits,
  agentPauseCommand,
  agentQueueCommand,
  agentQueueState,
  agentStateEvent,
  agentStateInput,
  callControlWelcome,
  agentWelcomeState,
  callControlAck,
  callControlCommandNames,
  callControlOk,
  callDialAck,
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
  CallControlRequest,
  CallControlWelcome,
  AgentWelcomeState,
  CallDialAck,
  CallDialCommand,
  CallHangupCommand,
  CallTransferCommand,
  TransferMode,
} from './call-control.js';
export type { CallControlClientToServer } from './socket-events.js';
export { agentReport, agentReportRow, queueReport, queueReportRow, reportIntervals } from './reports.js';
export type { AgentReport, AgentReportRow, QueueReport, QueueReportRow } from './reports.js';
export {
  WebhookDefaults,
  WebhookHeaders,
  WebhookLimits,
  webhookAnswer,
  webhookDefinition,
  webhookEventNames,
  webhookCreated,
  webhookInfo,
  webhookList,
  webhookRemoved,
  webhookStates,
} from './webhooks.js';
export type {
  WebhookAnswer,
  WebhookCreated,
  WebhookDefinition,
  WebhookEventName,
  WebhookInfo,
  WebhookList,
  WebhookRemoved,
  WebhookState,
} from './webhooks.js';
export {
  TokenLimits,
  scopedRoles,
  tokenAnswer,
  tokenCreateBody,
  tokenCreated,
  tokenInfo,
  tokenList,
  tokenName,
  tokenProblem,
  tokenRevoked,
  tokenScopeBody,
  tokenScopeObject,
} from './tokens.js';
export type { TokenAnswer, TokenCreateBody, TokenCreated, TokenInfo, TokenList, TokenRevoked, TokenScopeBody } from './tokens.js';
export {
  eventsPage,
  healthAnswer,
  ingestBatch,
  ingestResult,
  readyAnswer,
  realtimePage,
  variablesAnswer,
} from './http-answers.js';
export type { EventsPage, IngestBatch, IngestResult, ReadyAnswer, RealtimePage, VariablesAnswer } from './http-answers.js';
export { streamEvent, streamEventNames } from './stream.js';
export type { StreamEvent, StreamEventInput, StreamEventName } from './stream.js';
export { documentedRoutes, openApiDocument } from './openapi/document.js';
export { componentSchemas, httpComponents } from './openapi/components.js';
export type { HttpComponentName } from './openapi/components.js';
