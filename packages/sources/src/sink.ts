import type { AgentStateInput, CallEventInput, Variables } from '@shuttle-cti/protocol';

/** Where a source hands its call events: the hub in-process, or a hub over HTTP. */
export interface CallEventSink {
  /** Ingests one event; rejects when the hub refuses it. */
  emit(event: CallEventInput): Promise<void>;
  /** Sets custom variables of a call (an empty value unsets one). */
  setVariables(uniqueid: string, variables: Variables): Promise<void>;
  /** Ingests an `agentstate` event (protocol 1.2); sinks that predate it may leave it out. */
  agentState?(event: AgentStateInput): Promise<void>;
}

/** The logging a source needs; a pino logger fits. */
export interface SourceLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

export const silentLogger: SourceLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
