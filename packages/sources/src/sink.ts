import type { AgentStateInput, CallEventInput, Variables } from '@shuttle-cti/protocol';

/** Where a source hands its call events: the hub in-process, or a hub over HTTP. */
export interface CallEventSink {
  /** Ingests one event; rejects when the hub refuses it. */
  emit(event: CallEventInput): Promise<void>;
  /** Sets custom variables of a call (an empty value unsets one). */
  setVariables(uniqueid: string, variables: Variables): Promise<void>;
  /**
   * The calls in progress as the hub has published them (its live view, rebuilt from the
   * store after a restart). A PBX source reads it after every (re)connect to know what
   * was published already. Absent on sinks that cannot tell (HTTP).
   */
  calls?(): Promise<PublishedCall[]>;
  /** Ingests an `agentstate` event (protocol 1.2); sinks that predate it may leave it out. */
  agentState?(event: AgentStateInput): Promise<void>;
}

/** A call in progress as the hub published it. */
export interface PublishedCall {
  uniqueid: string;
  queue: string;
  callernum: string;
  callername?: string;
  /** The member whose `up` was published, with that event's times. */
  answered?: { peer: string; agentname?: string; holdtime?: string; ringtime?: string };
  /** Members whose `ringing` was published and whose ringing has not ended. */
  ringing: Array<{ peer: string; agentname?: string }>;
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
