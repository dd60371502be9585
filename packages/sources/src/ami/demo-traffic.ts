import { callerNames, demoAgents, demoQueues, type SimAgent, type SimQueue } from '../simulator/floor.js';
import { amiEvent, channelFields, createChannelFactory, type DemoChannel } from './demo-channels.js';

export interface DemoTrafficOptions {
  /** Sends AMI text to every logged-in client. */
  send: (text: string) => void;
  callsPerMinute: number;
  random: () => number;
  channelVars: readonly string[];
  /** Multiplies every duration; below 1 for tests. */
  timeScale: number;
}

/** A waiting caller, for QueueStatus. */
export interface DemoWaiting {
  queue: SimQueue;
  channel: DemoChannel;
  since: number;
}

/**
 * The demo PBX's traffic, in the shapes of the recorded transcripts: callers join a
 * queue, members ring (ringall, or one by one), answer, talk and hang up, sometimes
 * transfer; callers give up; agents call out through `from-internal`; the IVR sets
 * `ordernumber` and `customerid` on the Sales and Billing lines.
 */
export function createDemoTraffic(options: DemoTrafficOptions) {
  const { send, random, channelVars } = options;
  const factory = createChannelFactory(Math.floor(Date.now() / 1000), channelVars);
  const live = new Map<string, DemoChannel>();
  const waiting = new Set<DemoWaiting>();
  /** Agents ringing or on a call: with ringinuse=no, not rung again. */
  const busy = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let running = false;
  let orders = 1000;

  const between = (min: number, max: number): number => min + random() * (max - min);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const agentOf = (peer: string): SimAgent | undefined => demoAgents.find((a) => a.peer === peer);
  const fields = (ch: DemoChannel, prefix = '') => channelFields(ch, channelVars, prefix);

  /** Waits `seconds` (scaled); never resolves once stopped, which ends the call's script. */
  function wait(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      if (!running) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (running) resolve();
      }, seconds * 1000 * options.timeScale);
      timers.add(timer);
    });
  }

  function open(ch: DemoChannel): DemoChannel {
    live.set(ch.uniqueid, ch);
    send(amiEvent('Newchannel', 'call', fields(ch)));
    return ch;
  }

  function hangup(ch: DemoChannel, cause = '16', text = 'Normal Clearing'): void {
    live.delete(ch.uniqueid);
    send(amiEvent('Hangup', 'call', fields(ch), { Cause: cause, 'Cause-txt': text }));
  }

  function setVar(ch: DemoChannel, name: string, value: string): void {
    ch.vars.set(name, value);
    send(amiEvent('VarSet', 'dialplan', fields(ch), { Variable: name, Value: value }));
  }

  function ring(caller: DemoChannel, queue: SimQueue, peer: string): DemoChannel {
    busy.add(peer);
    const member = open(
      factory.create(peer, { linkedid: caller.linkedid, connectedNum: caller.callerNum, connectedName: caller.callerName }),
    );
    Object.assign(member, { state: 5, context: 'from-internal', exten: queue.extension, application: 'AppQueue', appData: '(Outgoing Line)' });
    const agent = { Queue: queue.name, Interface: peer, MemberName: agentOf(peer)?.name ?? peer };
    send(amiEvent('AgentCalled', 'agent', fields(caller), fields(member, 'Dest'), agent));
    send(amiEvent('DialBegin', 'call', fields(caller), fields(member, 'Dest'), { DialString: peer }));
    return member;
  }

  function stopRinging(caller: DemoChannel, member: DemoChannel, peer: string, statuses: string[]): void {
    for (const status of statuses) send(amiEvent('DialEnd', 'call', fields(caller), fields(member, 'Dest'), { DialStatus: status }));
    hangup(member, '0', 'Unknown');
    busy.delete(peer);
  }

  async function inbound(queue: SimQueue): Promise<void> {
    const caller = open(
      factory.create('SIP/carrier', {
        state: 4,
        callerNum: `3${Math.floor(between(100_000_000, 999_999_999))}`,
        callerName: pick(callerNames),
        context: 'from-pstn',
        exten: queue.extension,
      }),
    );
    if (queue.ivrVariables) {
      setVar(caller, 'ordernumber', `A-${++orders}`);
      setVar(caller, 'customerid', `C-${Math.floor(between(10, 999))}`);
    }
    Object.assign(caller, { priority: 2, application: 'Queue', appData: `${queue.name},t,,,60` });
    const entry: DemoWaiting = { queue, channel: caller, since: Date.now() };
    waiting.add(entry);
    send(amiEvent('QueueCallerJoin', 'agent', fields(caller), { Queue: queue.name, Position: '1', Count: String(waiting.size) }));
    const heldSince = Date.now();
    const patience = between(6, 40);
    let waited = 0;
    let next = 0;
    const leave = () => {
      waiting.delete(entry);
      send(amiEvent('QueueCallerLeave', 'agent', fields(caller), { Queue: queue.name, Count: '0', Position: '1' }));
    };
    while (running) {
      const idle = queue.members.filter((peer) => !busy.has(peer));
      if (idle.length === 0) {
        if (waited >= patience) break;
        await wait(1);
        waited += 1;
        continue;
      }
      const order = queue.strategy === 'ringall' ? idle : [idle[next++ % idle.length] as string];
      const rung = order.map((peer) => ({ peer, channel: ring(caller, queue, peer) }));
      const timeout = queue.strategy === 'linear' ? 4 : 15;
      const answerIn = random() < 0.75 ? between(1, 8) : Infinity;
      const step = Math.min(answerIn, timeout, Math.max(patience - waited, 0.5));
      await wait(step);
      waited += step;
      if (step === answerIn) {
        const answerer = pick(rung);
        send(amiEvent('DialEnd', 'call', fields(caller), fields(answerer.channel, 'Dest'), { DialStatus: 'ANSWER' }));
        for (const other of rung) if (other !== answerer) stopRinging(caller, other.channel, other.peer, ['CANCEL', 'CANCEL']);
        leave();
        return connect(caller, queue, answerer, Math.round((Date.now() - heldSince) / 1000 / options.timeScale), Math.round(step));
      }
      if (step === timeout) {
        for (const { peer, channel } of rung) {
          const agent = { Queue: queue.name, Interface: peer, MemberName: agentOf(peer)?.name ?? peer, RingTime: String(timeout * 1000) };
          send(amiEvent('AgentRingNoAnswer', 'agent', fields(caller), fields(channel, 'Dest'), agent));
          stopRinging(caller, channel, peer, ['NOANSWER', 'CANCEL']);
        }
        await wait(1);
        waited += 1;
        continue;
      }
      for (const { peer, channel } of rung) stopRinging(caller, channel, peer, ['CANCEL', 'CANCEL']);
      break;
    }
    if (!running) return;
    // Nobody answered before the caller gave up.
    setVar(caller, 'ABANDONED', 'TRUE');
    const hold = String(Math.round((Date.now() - heldSince) / 1000 / options.timeScale));
    send(amiEvent('QueueCallerAbandon', 'agent', fields(caller), { Queue: queue.name, Position: '1', OriginalPosition: '1', HoldTime: hold }));
    leave();
    hangup(caller);
  }

  async function connect(caller: DemoChannel, queue: SimQueue, answerer: { peer: string; channel: DemoChannel }, hold: number, ringTime: number): Promise<void> {
    const { channel: member, peer } = answerer;
    caller.state = 6;
    member.state = 6;
    const agent = { Queue: queue.name, Interface: peer, MemberName: agentOf(peer)?.name ?? peer };
    send(amiEvent('AgentConnect', 'agent', fields(caller), fields(member, 'Dest'), agent, { HoldTime: String(hold), RingTime: String(ringTime) }));
    const bridge = factory.bridgeId();
    caller.bridgeId = bridge;
    member.bridgeId = bridge;
    const bridgeFields = { BridgeUniqueid: bridge, BridgeType: 'basic', BridgeTechnology: 'simple_bridge', BridgeCreator: '<unknown>', BridgeName: '<unknown>' };
    send(amiEvent('BridgeEnter', 'call', bridgeFields, { BridgeNumChannels: '1' }, fields(member)));
    send(amiEvent('BridgeEnter', 'call', bridgeFields, { BridgeNumChannels: '2' }, fields(caller)));
    const talk = between(5, 45);
    await wait(talk);
    const ending = random();
    const reason = ending < 0.1 ? 'transfer' : ending < 0.55 ? 'agent' : 'caller';
    const times = { HoldTime: String(hold), TalkTime: String(Math.round(talk)), Reason: reason };
    if (reason === 'transfer') {
      send(amiEvent('BlindTransfer', 'call', { Result: 'Success' }, fields(member, 'Transferer'), fields(caller, 'Transferee'), bridgeFields, { IsExternal: 'Yes', Context: 'transfer-target', Extension: '7000' }));
    }
    send(amiEvent('AgentComplete', 'agent', fields(caller), fields(member, 'Dest'), agent, times));
    send(amiEvent('BridgeLeave', 'call', bridgeFields, { BridgeNumChannels: '1' }, fields(caller)));
    send(amiEvent('BridgeLeave', 'call', bridgeFields, { BridgeNumChannels: '0' }, fields(member)));
    hangup(member);
    busy.delete(peer);
    if (reason === 'transfer') {
      Object.assign(caller, { context: 'transfer-target', exten: '7000', bridgeId: '', application: 'Wait', appData: '2' });
      await wait(2);
    }
    hangup(caller);
  }

  async function outbound(): Promise<void> {
    const idle = demoAgents.filter((a) => !busy.has(a.peer));
    if (idle.length === 0) return;
    const agent = pick(idle);
    busy.add(agent.peer);
    const number = `0${Math.floor(between(100_000_000, 999_999_999))}`;
    const ch = open(factory.create(agent.peer, { state: 4, callerNum: agent.num, callerName: agent.name, context: 'from-internal', exten: number, application: 'Dial', appData: `SIP/carrier/${number},30` }));
    const trunk = open(factory.create('SIP/carrier', { linkedid: ch.uniqueid, context: 'from-pstn', exten: '', connectedNum: agent.num, connectedName: agent.name }));
    send(amiEvent('DialBegin', 'call', fields(ch), fields(trunk, 'Dest'), { DialString: `carrier/${number}` }));
    await wait(between(2, 6));
    ch.state = 6;
    trunk.state = 6;
    send(amiEvent('DialEnd', 'call', fields(ch), fields(trunk, 'Dest'), { DialStatus: 'ANSWER' }));
    await wait(between(5, 30));
    hangup(trunk);
    hangup(ch);
    busy.delete(agent.peer);
  }

  async function loop(): Promise<void> {
    while (running) {
      // Poisson arrivals: exponential gaps around the configured rate.
      await wait((-Math.log(1 - random()) * 60) / options.callsPerMinute);
      const task = random() < 0.12 ? outbound() : inbound(pick(demoQueues));
      task.catch(() => undefined);
    }
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      void loop();
    },
    stop(): void {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    channels: (): DemoChannel[] => [...live.values()],
    waiting: (): DemoWaiting[] => [...waiting],
    busy: (peer: string): boolean => busy.has(peer),
  };
}
export type DemoTraffic = ReturnType<typeof createDemoTraffic>;
