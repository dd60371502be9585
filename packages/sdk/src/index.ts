export { connect } from './client.js';
export { buildNotification, buildPushevent, buildVariablesRequest, buildWakeup } from './commands.js';
export { buildCallControl } from './call-control.js';
export { defineIntegration } from './integration.js';
export type { Integration, IntegrationHandlers, IntegrationSetup } from './integration.js';
export type {
  CallControlResult,
  CallEventHandlers,
  ClientEventName,
  ClientEvents,
  CommandOptions,
  CommandResult,
  ConnectOptions,
  CtiClient,
  DialOptions,
  WhenDisconnected,
} from './types.js';
export { CtiError, ErrorCode } from '@shuttle-cti/protocol';
export type {
  AbandonEvent,
  AgentStateEvent,
  TransferMode,
  CallEvent,
  CallEventMap,
  CallEventName,
  HangupEvent,
  NotificationType,
  OutboundEvent,
  ReplayTruncated,
  RingendEvent,
  RingingEvent,
  StreamEvent,
  StreamEventName,
  UpEvent,
  WakeupMode,
  Welcome,
  WireError,
} from '@shuttle-cti/protocol';
