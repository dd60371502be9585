import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  CtiError,
  type AgentStateInput,
  type CallControl,
  type CallEventInput,
  type Variables,
} from '@shuttle-cti/protocol';
import { createStore, type Store } from '@shuttle-cti/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import { createClusterLink } from './cluster/cluster.js';
import { resolveHubConfig, type HubConfig, type HubConfigInput } from './config.js';
import { createCallControlService } from './core/call-control.js';
import { createCallTracker } from './core/call-tracker.js';
import { singleHub, type ClusterLink } from './core/cluster-link.js';
import { warmUpTracker } from './core/warm-up.js';
import { publishedCalls, type PublishedCall } from './core/published-calls.js';
import { createFanout } from './core/fanout.js';
import { createLivePublish } from './core/live-publish.js';
import { createIngest, type IngestResult } from './core/ingest.js';
import { createPressure } from './core/pressure.js';
import { createRouter } from './core/router.js';
import { createScopeFloors } from './core/scope-floors.js';
import { createScopeIndex } from './core/scope-index.js';
import { createSupervisorOut } from './core/supervisor-out.js';
import { createVariablesService } from './core/variables.js';
import { createGuards } from './guards.js';
import { registerApi } from './http/api.js';
import { registerCallControlApi } from './http/call-control-api.js';
import { registerTokensApi } from './http/tokens-api.js';
import { registerWebhooksApi } from './http/webhooks-api.js';
import { installErrorHandler } from './http/errors.js';
import { frameworkOptions } from './http/framework-errors.js';
import { registerHealth } from './http/health.js';
import { registerOpenApi } from './http/openapi.js';
import { createOriginPolicy } from './http/origins.js';
import { guardConnections, serverTimeouts } from './http/connections.js';
import { findWebDist, registerWeb } from './http/web.js';
import { registerReports } from './reports/routes.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { setupAgents, peerRoom } from './namespaces/agent.js';
import { coalesceWrites } from './namespaces/coalesce-writes.js';
import { setupIntegrations } from './namespaces/integration.js';
import { setupSupervisors } from './namespaces/supervisor.js';
import { agentsOf, emitEvent, type HubServer } from './namespaces/typed.js';
import { startHousekeeping } from './housekeeping.js';
import { startWebhooks, type Webhooks } from './webhooks/webhooks.js';

/** Where a PBX source hands its events to the hub. */
export interface CallEventSink {
  /** Ingests one event; rejects with a CtiError when it is refused. */
  emit(event: CallEventInput): Promise<void>;
  setVariables(uniqueid: string, variables: Variables): Promise<void>;
  /** The calls in progress as this hub published them (its live view), for a PBX source's resync. */
  calls(): Promise<PublishedCall[]>;
  /** Ingests an `agentstate` event (protocol 1.2). */
  agentState(event: AgentStateInput): Promise<void>;
}

/** A PBX source the hub starts and stops with itself (AMI client, simulator). */
export interface Source {
  readonly name: string;
  /** Present when the source can act on the PBX (call control, protocol 1.2). */
  readonly control?: CallControl;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface HubOptions {
  config?: HubConfigInput;
  /** A store to use instead of the one the config names (tests hand one in). */
  store?: Store;
  logger?: Logger;
  /** Built pages; defaults to packages/web/dist. */
  webDist?: string;
  /** Builds the sources once the hub can take events. */
  sources?: ((sink: CallEventSink, logger: Logger) => Source)[];
}

export interface Hub {
  readonly config: HubConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly app: FastifyInstance;
  readonly io: Server;
  /** Base URL once listening, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  listen(): Promise<string>;
  ingest(items: readonly unknown[]): Promise<IngestResult[]>;
  sink: CallEventSink;
  /** Ids of the webhooks this hub delivers now (it holds their lease). */
  webhooks(): string[];
  /** Drains accepted events, stops sources, closes connections and the store. */
  close(): Promise<void>;
}

/**
 * Builds a hub: HTTP API, socket.io namespaces, store, ingest pipeline. Call `listen()`.
 *
 * @example
 * const hub = await createHub({ config: { port: 0, dataDir: './data' } });
 * console.log(await hub.listen());
 */
export async function createHub(options: HubOptions = {}): Promise<Hub> {
  const config = resolveHubConfig(options.config);
  const logger = options.logger ?? createLogger(config.logLevel);
  const ownsStore = !options.store;
  const store =
    options.store ??
    createStore({
      dataDir: config.dataDir,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      onCheckpointError: (error) => logger.warn({ err: error }, 'background WAL checkpoints failed; the store now checkpoints in its commits'),
    });
  await store.migrate();
  const { last } = await store.seqRange();
  let lastSeq = last;
  let webhooks: Webhooks | undefined;

  const https = config.tls ? { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert) } : null;
  // Timeouts against slow and idle clients (src/http/connections.ts).
  const timeouts = {
    requestTimeout: config.connections.requestTimeoutMs,
    keepAliveTimeout: config.connections.keepAliveTimeoutMs,
    connectionTimeout: config.connections.idleTimeoutMs,
  };
  const app = (https
    ? Fastify({ https: { ...https, ...serverTimeouts(config.connections) }, bodyLimit: config.limits.httpBodyBytes, logger: false, ...timeouts, ...frameworkOptions })
    : Fastify({ http: serverTimeouts(config.connections), bodyLimit: config.limits.httpBodyBytes, logger: false, ...timeouts, ...frameworkOptions })) as unknown as FastifyInstance;
  const io: HubServer = new Server(app.server, {
    allowEIO3: true,
    maxHttpBufferSize: config.limits.socketMessageBytes,
    // Browsers: only the hub's own pages and configured origins (src/http/origins.ts).
    ...createOriginPolicy(config),
    serveClient: false,
  });
  coalesceWrites(io);

  const metrics = createMetrics();
  guardConnections(app.server, config.connections, metrics, logger);
  // Several hubs (config `redisUrl`): the Redis link and the adapter, before any client
  // connects; the parts built next send through it, and the cluster joins them once they
  // exist (src/cluster). A hub alone links to no other (src/core/cluster-link.ts).
  const link: ClusterLink = config.redisUrl ? createClusterLink({ config, io, logger, metrics }) : singleHub;
  const floorLimits = {
    maxCalls: config.live.maxCalls,
    maxAgents: config.live.maxAgents,
    maxRingingPerCall: config.live.maxRingingPerCall,
    waitingCallMs: config.live.waitingCallMs,
    talkingCallMs: config.retention.staleCallMs,
    offlineAgentMs: config.live.offlineAgentMs,
  };
  const tracker = createCallTracker(undefined, floorLimits);
  metrics.watchLive(() => ({ ...tracker.size(), removals: tracker.removals() }));
  const scopes = createScopeIndex();
  const warmed = await warmUpTracker(store, {
    apply: (event) => {
      scopes.observe(event);
      return tracker.apply(event);
    },
  });
  if (warmed > 0) logger.info({ events: warmed }, 'live view rebuilt from today’s stored events');
  // A socket's id is also the name of a room holding just that socket.
  const fanout = createFanout(store, logger, (namespace, ids, event) => {
    emitEvent(io.of(namespace).local.to(ids as string[]), event);
  });
  const variables = link.shareVariables(createVariablesService(store));
  const router = createRouter({ store, config, metrics, logger, relay: link.relay });

  const scopeFloors = createScopeFloors(scopes, floorLimits);
  const supervisorOut = createSupervisorOut(io, scopes);
  const newestSeq = (): number => lastSeq;
  // The live publish rule (src/core/live-publish.ts), into this hub's socket.io rooms.
  const publishLocal = createLivePublish({
    tracker,
    fanout,
    targets: () => {
      const agents = agentsOf(io).local;
      return { presence: (update) => supervisorOut.agent(update), peer: (peer, event) => emitEvent(agents.to(peerRoom(peer)), event) };
    },
    published: (event) => {
      lastSeq = Math.max(lastSeq, event.seq);
      // Scoped tokens (protocol 1.2): queue membership and calls seen, and each scope's own counters.
      scopes.observe(event);
      if (scopeFloors.size > 0) scopeFloors.apply(event);
    },
    after: () => webhooks?.wake(),
  });
  // Several hubs: every hub's events in store order, commands of other hubs delivered to
  // the sessions here, presence summed. Alone: the events go straight to publishLocal.
  const cluster = link.join({ store, variables, tracker, router, supervisorOut, from: last, publishLocal });
  // Overload admission (src/core/pressure.ts): refuses sources while the hub is behind.
  // `ingest` is read only once events arrive, after both exist.
  const pressure = createPressure({ limits: config.limits, io, pipeline: () => ingest.backlog(), metrics });
  const ingest = createIngest({
    store,
    variables,
    publish: cluster.publish,
    metrics,
    logger,
    admit: (count) => pressure.admitOrThrow(count),
    refusing: () => pressure.admission.refusing,
    refuseEarly: () => pressure.refuseEarly(),
    enrich: () => webhooks?.enricher,
  });

  const sink: CallEventSink = {
    async emit(event) {
      const [result] = await ingest.ingest([event]);
      if (result && !result.ok) throw new CtiError(result.error.code, result.error.message, { field: result.error.field });
    },
    async setVariables(uniqueid, update) {
      await variables.merge(uniqueid, update, new Date().toISOString());
    },
    // After draining ingest, so that what was accepted is in the view.
    calls: async () => {
      await ingest.drain();
      return publishedCalls(tracker);
    },
    async agentState(event) {
      const [result] = await ingest.ingest([event]);
      if (result && !result.ok) throw new CtiError(result.error.code, result.error.message, { field: result.error.field });
    },
  };
  const sources = (options.sources ?? []).map((make) => make(sink, logger));
  // Call control (protocol 1.2): carried out here, or by the hub that runs the PBX source.
  const callControl = createCallControlService({
    controls: sources.flatMap((s) => (s.control ? [s.control] : [])),
    config,
    tracker,
    scopes,
    metrics,
    logger,
    remote: link.callControl,
  });
  cluster.serve(callControl);

  // Each part gets what it uses (the `…Deps` type beside it); the guards are one set for HTTP and socket.io.
  const guards = createGuards({ config, logger, metrics });
  const auth = { store, guards, config };
  installErrorHandler(app, { config, logger });
  registerOpenApi(app);
  registerHealth(app, { store, metrics });
  registerApi(app, { ...auth, ingest, variables });
  registerReports(app, { ...auth, scopes });
  registerCallControlApi(app, { ...auth, callControl, logger });
  registerWebhooksApi(app, { ...auth, logger, lastSeq: newestSeq });
  registerTokensApi(app, { ...auth, logger });
  registerWeb(app, options.webDist ?? findWebDist(), { hubs: config.web.hubs, frameAncestors: config.web.frameAncestors });
  // What every namespace uses: the token check, the commands' log and counters, call control, the newest seq.
  const namespaces = { ...auth, logger, metrics, callControl, lastSeq: newestSeq };
  setupIntegrations(io, { ...namespaces, router, variables, fanout, scopes, supervisorOut });
  setupAgents(io, { ...namespaces, router, tracker, supervisorOut, sessions: cluster.sessions });
  setupSupervisors(io, { ...namespaces, tracker, scopes, scopeFloors, supervisorOut, fanout });
  let housekeeping: (() => void) | undefined;
  let closed = false;

  const hub: Hub = {
    config,
    store,
    logger,
    metrics,
    app,
    io,
    url: '',
    port: 0,
    sink,
    webhooks: () => webhooks?.delivering() ?? [],
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address() as AddressInfo;
      hub.port = address.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
      hub.url = `${https ? 'https' : 'http'}://${host}:${address.port}`;
      housekeeping = startHousekeeping({ config, logger, store, router, tracker, supervisorOut, io });
      // A store handed in (tests) cannot be reopened by a worker: delivery then runs here.
      webhooks = startWebhooks({ config, logger, store, metrics, router, scopes, callControl, supervisorOut, lastSeq: newestSeq }, { worker: ownsStore });
      for (const source of sources) {
        await source.start();
        logger.info({ source: source.name }, 'source started');
      }
      return hub.url;
    },
    ingest: (items) => ingest.ingest(items),
    async close() {
      if (closed) return;
      closed = true;
      housekeeping?.();
      await webhooks?.close();
      for (const source of sources) await source.stop().catch((error: unknown) => logger.warn({ err: error }, 'source stop failed'));
      await ingest.drain();
      pressure.stop();
      await cluster.close();
      // Closing the engine (not disconnecting each socket) lets clients see a transport
      // close and reconnect by themselves to the next hub process.
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await app.close().catch(() => undefined);
      if (ownsStore) await store.close();
    },
  };
  return hub;
}
