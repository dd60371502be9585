import { randomUUID } from 'node:crypto';
import {
  CtiError,
  ErrorCode,
  callControlSchemas,
  parseOrThrow,
  toCtiError,
  type CallControl,
  type CallControlCommandName,
  type CallControlOk,
  type CallControlRequest,
  type Role,
  type ScopeMatcher,
} from '@shuttle-cti/protocol';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { CallTracker } from './call-tracker.js';
import { dialCallerId } from './dial-caller-id.js';
import type { ScopeIndex } from './scope-index.js';

/** Who sent a command: the token's role, name (never the token) and, for agents, peer. */
export interface Actor {
  role: Role;
  name: string;
  peer: string | null;
  /** Protocol 1.2: the token's scope; absent or null when unscoped. */
  scope?: ScopeMatcher | null;
}

/** A command handed to the hub that runs the PBX source (several hubs). */
export interface RemoteCallControl {
  /** Resolves with the other hub's ack; rejects NOT_SUPPORTED when no hub can control calls. */
  run(name: CallControlCommandName, command: unknown, check: RemoteCheck): Promise<CallControlOk>;
}

/** What the executing hub still checks: an agent's hangup/transfer must be on its own call. */
export interface RemoteCheck {
  peerOnCall?: string | undefined;
  channelId?: string | undefined;
  /** `CallHangup` by an agent: hang up its own leg (Asterisk then says `reason: agent`). */
  leg?: 'agent' | undefined;
}

export interface CallControlService {
  /** Validates, checks the actor's rights, and carries the command out; resolves with the ack. */
  run(name: CallControlCommandName, payload: unknown, actor: Actor): Promise<CallControlOk>;
  /** Carries out a command another hub accepted (already validated and allowed there). */
  runLocal(name: CallControlCommandName, payload: unknown, check: RemoteCheck): Promise<CallControlOk>;
  /** Whether this hub runs a source that can control calls. */
  readonly local: boolean;
  /** Whether a command may be carried out: here, or (several hubs) by another one. */
  readonly available: boolean;
}

const supervisorMay = new Set<CallControlCommandName>(['CallHangup', 'AgentPause', 'AgentQueue']);

/** Parses a command with its name's schema; the result is a union on `name`, so a switch on it narrows `command`. */
function parseCommand(name: CallControlCommandName, payload: unknown): CallControlRequest {
  switch (name) {
    case 'CallDial':
      return { name, command: parseOrThrow(callControlSchemas.CallDial, payload, name) };
    case 'CallHangup':
      return { name, command: parseOrThrow(callControlSchemas.CallHangup, payload, name) };
    case 'CallTransfer':
      return { name, command: parseOrThrow(callControlSchemas.CallTransfer, payload, name) };
    case 'AgentPause':
      return { name, command: parseOrThrow(callControlSchemas.AgentPause, payload, name) };
    case 'AgentQueue':
      return { name, command: parseOrThrow(callControlSchemas.AgentQueue, payload, name) };
  }
}
/** How long the hub remembers which peer dialled which call (an agent may hang up its own). */
const dialledTtlMs = 12 * 3600_000;

/**
 * The call-control commands (protocol 1.2), whoever sends them (socket.io or HTTP): the
 * payload is validated and the actor's rights checked before anything reaches the PBX;
 * every command is counted and logged with the token's name.
 */
export function createCallControlService(deps: {
  controls: readonly CallControl[];
  config: HubConfig;
  tracker: CallTracker;
  /** Queue membership and calls seen, for scoped actors. */
  scopes?: ScopeIndex;
  metrics: Metrics;
  logger: Logger;
  /** Several hubs: the hub that runs the PBX source carries the command out. */
  remote?: RemoteCallControl | undefined;
}): CallControlService {
  const { controls, config, tracker, metrics, logger } = deps;
  const dialled = new Map<string, { peer: string; at: number }>();

  function forbid(message: string): never {
    throw new CtiError(ErrorCode.FORBIDDEN, message);
  }

  function onOwnCall(uniqueid: string, peer: string): boolean {
    const now = Date.now();
    for (const [id, d] of dialled) if (now - d.at > dialledTtlMs) dialled.delete(id);
    if (dialled.get(uniqueid)?.peer === peer) return true;
    const agent = tracker.agent(peer);
    if (agent?.uniqueid === uniqueid && agent.state === 'on-call') return true;
    return controls.some((c) => c.peerOnCall(uniqueid, peer));
  }

  /**
   * A scoped actor (protocol 1.2) acts within its scope only: on a peer it names or that
   * is a member of one of its queues (AgentQueue: also any peer, in a queue of its scope),
   * on a call of its scope. A call the hub does not know is NOT_FOUND, as for anyone,
   * without asking the PBX: the hub cannot tell whose it is.
   */
  function checkScope(request: CallControlRequest, scope: ScopeMatcher): void {
    const index = deps.scopes;
    const { command } = request;
    if ('uniqueid' in command) {
      const inScope = index?.callInScope(scope, command.uniqueid);
      if (inScope === undefined) throw new CtiError(ErrorCode.NOT_FOUND, `no call in progress with uniqueid ${command.uniqueid}`, { field: 'uniqueid' });
      if (!inScope) forbid(`call ${command.uniqueid} is outside this token's scope`);
    }
    if (request.name === 'AgentQueue') {
      const { queue, peer } = request.command;
      if (scope.queues.has(queue) || scope.peers.has(peer)) return;
      forbid(`queue ${queue} and peer ${peer} are outside this token's scope`);
    }
    if ('peer' in command) {
      if (!scope.peers.has(command.peer) && !(index?.peerInScope(scope, command.peer) ?? false)) forbid(`peer ${command.peer} is outside this token's scope`);
    }
  }

  /** Throws FORBIDDEN unless the actor may send this command; returns what the executing hub must still check. */
  function authorise(request: CallControlRequest, actor: Actor): RemoteCheck {
    const { name, command } = request;
    switch (actor.role) {
      case 'integration':
        if (actor.scope) checkScope(request, actor.scope);
        return {};
      case 'supervisor':
        if (!supervisorMay.has(name)) forbid(`a supervisor may not send ${name}`);
        if (actor.scope) checkScope(request, actor.scope);
        return {};
      case 'agent': {
        const own = actor.peer ?? '';
        if ('peer' in command && command.peer !== own) forbid(`an agent may act on its own peer (${own}) only`);
        if (name === 'AgentQueue' && !config.agentsManageQueues) forbid('agents may not join or leave queues on this hub (agentsManageQueues is off)');
        const leg = name === 'CallHangup' ? { leg: 'agent' as const } : {};
        if ('uniqueid' in command && !onOwnCall(command.uniqueid, own)) {
          if (controls.length > 0 || !deps.remote) forbid(`an agent may act on its own current call only; ${own} is not on ${command.uniqueid}`);
          return { peerOnCall: own, ...leg };
        }
        return leg;
      }
      case 'source':
        return forbid('a source token may not control calls');
      case 'admin':
        return forbid('an admin token manages webhooks and tokens; it may not control calls');
    }
  }

  async function execute(request: CallControlRequest, check: RemoteCheck): Promise<CallControlOk> {
    const [control] = controls;
    if (!control) throw new CtiError(ErrorCode.NOT_SUPPORTED, 'no source on this hub can control calls (an HTTP-ingest PBX or the simulator)');
    const c = request.command;
    const id = c.id ?? randomUUID();
    if (check.peerOnCall !== undefined && 'uniqueid' in c && !onOwnCall(c.uniqueid, check.peerOnCall)) {
      forbid(`an agent may act on its own current call only; ${check.peerOnCall} is not on ${c.uniqueid}`);
    }
    switch (request.name) {
      case 'CallDial': {
        const dial = request.command;
        const channelId = check.channelId ?? `cti-${randomUUID()}`;
        const callerid = dial.callerid ?? dialCallerId(dial.peer, tracker.agent(dial.peer)?.name);
        const { uniqueid } = await control.dial({ ...dial, ...(callerid === undefined ? {} : { callerid }), channelId });
        dialled.set(uniqueid, { peer: dial.peer, at: Date.now() });
        return { ok: true, id, uniqueid };
      }
      case 'CallHangup':
        await control.hangup(request.command, check.leg);
        return { ok: true, id };
      case 'CallTransfer':
        await control.transfer(request.command);
        return { ok: true, id };
      case 'AgentPause':
        await control.pause(request.command);
        return { ok: true, id };
      case 'AgentQueue':
        await control.queue(request.command);
        return { ok: true, id };
    }
  }

  function describe(command: unknown): Record<string, unknown> {
    if (typeof command !== 'object' || command === null) return {};
    const { peer, uniqueid, queue, mode, paused, member } = command as Record<string, unknown>;
    return Object.fromEntries(Object.entries({ peer, uniqueid, queue, mode, paused, member }).filter(([, v]) => v !== undefined));
  }

  return {
    get local() {
      return controls.length > 0;
    },
    get available() {
      return controls.length > 0 || deps.remote !== undefined;
    },
    async run(name, payload, actor) {
      let result: CallControlOk | undefined;
      try {
        const request = parseCommand(name, payload);
        const { command } = request;
        const check = authorise(request, actor);
        const remote = deps.remote;
        if (controls.length === 0 && remote) {
          // The hub running the PBX source chooses nothing: this one sets the ChannelId too.
          result = await remote.run(name, command, { ...check, ...(name === 'CallDial' ? { channelId: `cti-${randomUUID()}` } : {}) });
          const r = result;
          if (name === 'CallDial' && r.uniqueid !== undefined && actor.peer !== null) dialled.set(r.uniqueid, { peer: actor.peer, at: Date.now() });
        } else {
          result = await execute(request, check);
        }
        return result;
      } catch (error) {
        const e = toCtiError(error);
        metrics.callControl.inc({ action: name, result: e.code });
        logger.info({ action: name, by: actor.name, role: actor.role, ...describe(payload), result: e.code, message: e.message }, `call control: ${name} refused`);
        throw e.code === ErrorCode.INTERNAL ? error : e;
      } finally {
        if (result) {
          metrics.callControl.inc({ action: name, result: 'ok' });
          logger.info({ action: name, by: actor.name, role: actor.role, ...describe(payload), result: 'ok', ...(result.uniqueid ? { dialled: result.uniqueid } : {}) }, `call control: ${name}`);
        }
      }
    },
    runLocal(name, payload, check) {
      return execute(parseCommand(name, payload), check);
    },
  };
}
