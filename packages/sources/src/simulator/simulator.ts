import type { CallEventInput } from '@shuttle-cti/protocol';
import { sendRetrying } from '../retry.js';
import { silentLogger, type CallEventSink, type SourceLogger } from '../sink.js';
import { callerNames, demoAgents, demoQueues, type SimAgent, type SimQueue } from './floor.js';

export interface SimulatorOptions {
  sink: CallEventSink;
  /** New calls per minute (default 12). */
  callsPerMinute?: number;
  /** Multiplies every duration (0.01 makes a 30 s call last 0.3 s); for tests and benchmarks. */
  timeScale?: number;
  /** A deterministic random source in [0, 1); Math.random by default. */
  random?: () => number;
  logger?: SourceLogger;
}

export interface Simulator {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Calls placed so far. */
  readonly calls: number;
}

interface Call {
  uniqueid: string;
  queue: SimQueue;
  base: {
    direction: string;
    uniqueid: string;
    context: string;
    extension: string;
    trunk: string;
    callernum: string;
    callername?: string;
    channel: string;
  };
  startedAt: number;
  ringing: Set<string>;
}

/**
 * Plays realistic queue traffic: calls ring members (ringall or one at a time), are
 * answered or abandoned, talk, and hang up; agents place outbound calls; the IVR sets
 * `ordernumber` and `customerid`. Every event goes through the sink, as a PBX's would.
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  const { sink } = options;
  const random = options.random ?? Math.random;
  const scale = options.timeScale ?? 1;
  const logger = options.logger ?? silentLogger;
  const perMinute = options.callsPerMinute ?? 12;
  const busy = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;
  let running = false;
  const epoch = Math.floor(Date.now() / 1000);

  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (min: number, max: number): number => min + random() * (max - min);
  const agentOf = (peer: string): SimAgent => demoAgents.find((a) => a.peer === peer) as SimAgent;

  function later(seconds: number, task: () => Promise<void>): void {
    if (!running) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!running) return;
      task().catch((error: unknown) => logger.warn({ err: error }, 'simulator: event refused'));
    }, seconds * 1000 * scale);
    timers.add(timer);
  }

  // Every event gets an id of its own (idempotent ingest): a sink that resends one after a
  // timeout cannot make the hub store it twice.
  let sent = 0;
  // While the hub refuses for overload, the call waits and sends the event again (same id).
  const emit = (event: CallEventInput): Promise<void> => {
    const withId = { ...event, eventid: `sim:${event.uniqueid}:${event.event}:${++sent}` };
    return sendRetrying(() => sink.emit(withId), { stopped: () => !running });
  };

  function agentFields(peer: string) {
    const a = agentOf(peer);
    return { agentname: a.name, agentnum: a.num, peer, sipname: peer.split('/')[1] ?? peer };
  }

  async function newCall(): Promise<void> {
    if (random() < 0.12) return outbound();
    const queue = pick(demoQueues);
    const uniqueid = `${epoch}.${++counter}`;
    const callernum = `3${Math.floor(between(100000000, 999999999))}`;
    const name = pick(callerNames);
    const channel = `SIP/trunk-${counter.toString(16).padStart(8, '0')}`;
    const call: Call = {
      uniqueid,
      queue,
      startedAt: Date.now(),
      ringing: new Set(),
      base: {
        direction: 'inbound',
        uniqueid,
        context: 'from-pstn',
        extension: queue.extension,
        trunk: channel,
        callernum,
        ...(name ? { callername: name } : {}),
        channel,
      },
    };
    if (queue.ivrVariables) {
      await sink.setVariables(uniqueid, {
        ordernumber: `ORD-${Math.floor(between(10000, 99999))}`,
        customerid: String(Math.floor(between(1000, 9999))),
      });
    }
    const patience = between(8, 40);
    later(patience, () => abandon(call));
    await ring(call, 0);
  }

  async function ring(call: Call, attempt: number): Promise<void> {
    const idle = call.queue.members.filter((p) => !busy.has(p));
    if (idle.length === 0) {
      later(2, () => ring(call, attempt));
      return;
    }
    const targets = call.queue.strategy === 'ringall' ? idle : [idle[attempt % idle.length] as string];
    for (const peer of targets) {
      busy.add(peer);
      call.ringing.add(peer);
      await emit({ event: 'ringing', queue: call.queue.name, ...call.base, ...agentFields(peer), ringing: true });
    }
    const answerAfter = between(1, 6);
    if (call.queue.strategy === 'linear' && random() < 0.3) {
      // Nobody picks up within the ring timeout: try the next member.
      later(4, async () => {
        const [peer] = targets;
        if (peer === undefined || !call.ringing.has(peer)) return;
        call.ringing.delete(peer);
        busy.delete(peer);
        await emit({ event: 'ringend', queue: call.queue.name, ...call.base, ...agentFields(peer), reason: 'timeout' });
        await ring(call, attempt + 1);
      });
      return;
    }
    later(answerAfter, () => answer(call, pick(targets), answerAfter));
  }

  async function answer(call: Call, peer: string, ringtime: number): Promise<void> {
    if (!call.ringing.has(peer)) return;
    call.ringing.delete(peer);
    for (const other of call.ringing) {
      busy.delete(other);
      await emit({ event: 'ringend', queue: call.queue.name, ...call.base, ...agentFields(other), reason: 'answered-elsewhere' });
    }
    call.ringing.clear();
    call.startedAt = -1;
    const holdtime = String(Math.max(1, Math.round(ringtime)));
    const times = { holdtime, ringtime: String(Math.round(ringtime)) };
    await emit({ event: 'up', queue: call.queue.name, ...call.base, ...agentFields(peer), ...times, up: true });
    const talk = between(10, 90);
    later(talk, async () => {
      busy.delete(peer);
      await emit({
        event: 'hangup',
        queue: call.queue.name,
        ...call.base,
        ...agentFields(peer),
        ...times,
        talktime: String(Math.round(talk)),
        reason: random() < 0.5 ? 'agent' : 'caller',
        hangup: true,
      });
    });
  }

  async function abandon(call: Call): Promise<void> {
    if (call.startedAt < 0) return;
    const holdtime = String(Math.round((Date.now() - call.startedAt) / 1000 / scale));
    for (const peer of call.ringing) {
      busy.delete(peer);
      await emit({ event: 'ringend', queue: call.queue.name, ...call.base, ...agentFields(peer), reason: 'caller-left' });
    }
    call.ringing.clear();
    call.startedAt = -1;
    const { uniqueid, callernum, channel } = call.base;
    await emit({
      event: 'abandon',
      queue: call.queue.name,
      direction: 'unmanaged',
      uniqueid,
      callernum,
      ...(call.base.callername ? { callername: call.base.callername } : {}),
      channel,
      holdtime,
      unmanaged: true,
    });
  }

  async function outbound(): Promise<void> {
    const free = demoAgents.filter((a) => !busy.has(a.peer));
    if (free.length === 0) return;
    const agent = pick(free);
    const uniqueid = `${epoch}.${++counter}`;
    const sipname = agent.peer.split('/')[1] ?? agent.peer;
    await emit({
      event: 'outbound',
      agentname: agent.name,
      agentnum: agent.num,
      direction: 'outbound',
      uniqueid,
      context: 'from-internal',
      extension: `39${Math.floor(between(10000000, 99999999))}`,
      trunk: 'SIP/carrier',
      callernum: agent.num,
      channel: `${agent.peer}-${counter.toString(16).padStart(8, '0')}`,
      peer: agent.peer,
      sipname,
      outbound: true,
    });
  }

  function schedule(): void {
    // Poisson arrivals: exponential gaps with the configured mean.
    const gap = -Math.log(1 - random()) * (60 / perMinute);
    later(gap, async () => {
      schedule();
      await newCall();
    });
  }

  return {
    name: 'simulator',
    get calls() {
      return counter;
    },
    async start() {
      running = true;
      logger.info({ callsPerMinute: perMinute }, 'simulator: playing demo queue traffic');
      schedule();
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
