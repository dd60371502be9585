import type { Store } from '@shuttle-cti/store';
import type { Cluster } from './cluster/cluster.js';
import type { HubConfig } from './config.js';
import type { CallControlService } from './core/call-control.js';
import type { CallTracker } from './core/call-tracker.js';
import type { Fanout } from './core/fanout.js';
import type { Ingest } from './core/ingest.js';
import type { Router } from './core/router.js';
import type { ScopeFloors } from './core/scope-floors.js';
import type { ScopeIndex } from './core/scope-index.js';
import type { SupervisorOut } from './core/supervisor-out.js';
import type { VariablesService } from './core/variables.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { HubServer } from './namespaces/typed.js';

/** What the hub's parts share; built once in createHub and handed to each part. */
export interface HubContext {
  config: HubConfig;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  io: HubServer;
  tracker: CallTracker;
  fanout: Fanout;
  router: Router;
  variables: VariablesService;
  ingest: Ingest;
  /** Protocol 1.2 scopes: queue membership and the calls seen, for scope checks. */
  scopes: ScopeIndex;
  /** The floor (calls, counters) of each scope with a supervisor connected here. */
  scopeFloors: ScopeFloors;
  /** Agent presences and Integration Realtime rows to the supervisors they concern. */
  supervisorOut: SupervisorOut;
  /** Newest seq published by this hub. */
  lastSeq(): number;
  /** Call control (protocol 1.2): carried out here, or by the hub that runs the PBX source. */
  callControl?: CallControlService;
  /** Present when this hub is one of several (config `redisUrl`). */
  cluster?: Cluster | undefined;
}
