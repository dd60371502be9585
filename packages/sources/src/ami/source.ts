import { EventEmitter } from 'node:events';
import type { CallControl, CallEventInput, CtiError } from '@shuttle-cti/protocol';
import { createDeliveryQueue } from '../delivery-queue.js';
import { silentLogger, type CallEventSink, type SourceLogger } from '../sink.js';
import { createCallTracker } from './call-tracker.js';
import { createControlExtension } from './control-extension.js';
import { createAmiClient, type AmiClientState } from './client.js';
import { resolveAmiEndpoint, type AmiEndpointInput } from './endpoint.js';
import { createResyncFlow } from './resync-flow.js';

export interface AmiSourceOptions extends AmiEndpointInput {
  /** Channel variables that become the calls' custom variables (config `customVariables`). */
  customVariables?: readonly string[];
  /** Dialplan contexts whose calls are agents calling out; default `['from-internal']`. */
  outboundContexts?: readonly string[];
  /** Where the call events go (the hub's ingest); `calls` tells what the hub published (see resync-flow.ts); `agentState`, when given, gets the queue-member state. */
  sink: Pick<CallEventSink, 'emit' | 'calls'> & Partial<Pick<CallEventSink, 'agentState'>>;
  /** Context of the numbers `CallDial` dials (`--dial-context`); default `from-internal`. */
  dialContext?: string;
  /** Context of transfer targets (`--transfer-context`); default `from-internal`. */
  transferContext?: string;
  /** A pino logger fits; silent by default. */
  logger?: SourceLogger;
  /** `md5` logs in with the MD5 challenge instead of sending the secret. */
  auth?: 'plain' | 'md5';
  reconnect?: { initialMs?: number; maxMs?: number };
  pingIntervalMs?: number;
  actionTimeoutMs?: number;
  /**
   * Events kept in the source while the hub refuses them for overload (Asterisk cannot be
   * told to wait): they are sent, in order, once it takes them again. Past this many the
   * newest are dropped and logged. Default 100,000.
   */
  bufferLimit?: number;
}

export interface AmiSourceEvents {
  state: [state: AmiClientState];
  /** Asterisk refused the login (wrong secret, or not permitted): the source has stopped. */
  error: [error: CtiError];
}

export interface AmiSource {
  /** `asterisk host:port`, for the hub's logs. */
  readonly name: string;
  readonly state: AmiClientState;
  /** Call control through this PBX (Originate, Hangup, Redirect, Atxfer, QueuePause, QueueAdd/Remove). */
  readonly control: CallControl;
  /** Resolves once logged in (or retrying after a first failed attempt); rejects if the login is refused. */
  start(): Promise<void>;
  /** Logs off, and resolves once every call event produced so far has been handed to the sink. */
  stop(): Promise<void>;
  on<E extends keyof AmiSourceEvents>(event: E, listener: (...args: AmiSourceEvents[E]) => void): AmiSource;
  off<E extends keyof AmiSourceEvents>(event: E, listener: (...args: AmiSourceEvents[E]) => void): AmiSource;
}

/**
 * The Asterisk source: an AMI client whose queue events become call events for the
 * sink. After every (re)connect it resynchronises with `QueueStatus` and
 * `CoreShowChannels`, so calls already in progress still get their `hangup`.
 *
 * @example
 * const source = createAmiSource({
 *   url: 'asterisk://cti@127.0.0.1:5038',
 *   secretEnv: 'AMI_SECRET',
 *   customVariables: ['ordernumber', 'customerid'],
 *   sink: { emit: async (event) => console.log(event) },
 * });
 * await source.start();
 */
export function createAmiSource(options: AmiSourceOptions): AmiSource {
  const endpoint = resolveAmiEndpoint(options);
  const logger = options.logger ?? silentLogger;
  const emitter = new EventEmitter();
  const tracker = createCallTracker({
    ...(options.customVariables === undefined ? {} : { customVariables: options.customVariables }),
    ...(options.outboundContexts === undefined ? {} : { outboundContexts: options.outboundContexts }),
    logger,
  });
  const client = createAmiClient({
    ...endpoint,
    logger,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs }),
    ...(options.actionTimeoutMs === undefined ? {} : { actionTimeoutMs: options.actionTimeoutMs }),
  });
  const extension = createControlExtension({ client, options, logger });
  // One event at a time, in order: the hub numbers them as they come. While the hub is
  // overloaded they wait here, up to bufferLimit.
  const queue = createDeliveryQueue({ limit: options.bufferLimit ?? 100_000, logger, what: 'AMI' });

  function deliver(events: CallEventInput[]): void {
    for (const event of events.map((e) => extension.rewrite(e))) {
      // Prepared at once, while the connection that reported the event is still there.
      const ready = flow.prepare(event);
      queue.push(
        async () => options.sink.emit(await ready),
        () => ({ event: event.event, uniqueid: event.uniqueid }),
      );
    }
  }

  async function resync(): Promise<void> {
    try {
      await client.action({ Action: 'QueueStatus' });
      await client.action({ Action: 'CoreShowChannels' });
      logger.info({ calls: tracker.size }, `AMI: resynchronised, ${tracker.size} call(s) in progress`);
    } catch (error) {
      tracker.abortResync();
      logger.warn(
        { err: error },
        'AMI: could not resynchronise (QueueStatus/CoreShowChannels); calls already in progress may miss their end',
      );
    }
  }

  const flow = createResyncFlow({
    tracker,
    client,
    sink: options.sink,
    logger,
    handle(message) {
      try {
        extension.observe(message, (state) => queue.push(state, () => ({ event: 'agentstate' })));
        deliver(tracker.handle(message));
      } catch (error) {
        logger.error({ err: error, event: message['Event'] }, 'AMI: could not map an event');
      }
    },
  });
  client.on('event', (message) => flow.event(message));
  client.on('ready', () => void resync());
  client.on('state', (state) => {
    // Marked on the greeting, before any event of the new connection: the events that
    // come in with the login answer already count as seen since the reconnect.
    if (state === 'connected') flow.connected();
    emitter.emit('state', state);
  });
  client.on('error', (error) => {
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
  });

  const source: AmiSource = {
    name: `asterisk ${endpoint.host}:${endpoint.port}`,
    get state() {
      return client.state;
    },
    control: extension.control,
    start: () => client.start(),
    async stop() {
      await client.stop();
      await queue.close();
    },
    on(event, listener) {
      emitter.on(event, listener as (...args: unknown[]) => void);
      return source;
    },
    off(event, listener) {
      emitter.off(event, listener as (...args: unknown[]) => void);
      return source;
    },
  };
  return source;
}
