import {
  CallControlLimits,
  CtiError,
  ErrorCode,
  type AgentPauseCommand,
  type AgentQueueCommand,
  type CallControl,
  type CallDialCommand,
  type CallHangupCommand,
  type CallTransferCommand,
} from '@shuttle-cti/protocol';
import type { AmiClient } from './client.js';
import type { ChannelIndex } from './channel-index.js';
import { amiField, type AmiActionFields, type AmiMessage } from './parser.js';

export interface AmiCallControlOptions {
  client: Pick<AmiClient, 'action'>;
  index: ChannelIndex;
  /** Context of `CallDial`'s number (`--dial-context`); default `from-internal`. */
  dialContext?: string;
  /** Context of a transfer's target (`--transfer-context`); default `from-internal`. */
  transferContext?: string;
  /** Extra wait for `OriginateResponse` beyond the ring timeout. */
  originateGraceMs?: number;
}

export interface AmiCallControl extends CallControl {
  /** Feeds the AMI stream (OriginateResponse). */
  handle(message: AmiMessage): void;
  /**
   * Whether the call was transferred by this hub: blind, or attended with the agent leaving
   * during the consultation, which completes it (its hangup then has reason `transfer`).
   */
  wasTransferred(uniqueid: string): boolean;
  /** Forgets a transferred call once its hangup went out. */
  forgetTransfer(uniqueid: string): void;
}

/** Asterisk's `Reason` of a failed originate: the last call progress it saw. */
const originateReasons: Record<string, string> = {
  '0': 'no channel could be created (unknown technology or peer)',
  '1': 'the phone hung up',
  '3': 'the phone rang but was not answered',
  '5': 'the phone is busy',
  '8': 'congestion (nobody answered at that address)',
};

/** PBX answers that mean "no such thing": NOT_FOUND, with the PBX's own text. */
const notFoundTexts = [/^No such channel/i, /^Channel does not exist/i, /^Channel specified does not exist/i, /^Interface not found/i, /No such queue/i, /Not there$/i];

/** Turns a refused action into PBX_ERROR (or NOT_FOUND) carrying the PBX's `Message`. */
export function pbxError(error: unknown): CtiError {
  if (!(error instanceof CtiError)) return new CtiError(ErrorCode.PBX_ERROR, 'the PBX refused the action', { cause: error });
  const response = error.cause as AmiMessage | undefined;
  const text = typeof response === 'object' && response !== null ? amiField(response, 'Message') : undefined;
  if (text === undefined) return error.code === ErrorCode.DISCONNECTED ? new CtiError(ErrorCode.UNAVAILABLE, `the PBX is not connected (${error.message})`) : error;
  const code = notFoundTexts.some((re) => re.test(text)) ? ErrorCode.NOT_FOUND : ErrorCode.PBX_ERROR;
  return new CtiError(code, text, { cause: response });
}

interface DialWaiter {
  actionId?: string;
  settle(response: AmiMessage): void;
}

/**
 * Call control over AMI: `Originate` (async, `ChannelId` set by the hub), `Hangup`,
 * `Redirect` (blind transfer), `Atxfer` (attended), `QueuePause`, `QueueAdd`/`QueueRemove`.
 * The header order is the one of the recordings in fixtures/asterisk-ami-actions.
 */
export function createAmiCallControl(options: AmiCallControlOptions): AmiCallControl {
  const { client, index } = options;
  const dialContext = options.dialContext ?? 'from-internal';
  const transferContext = options.transferContext ?? 'from-internal';
  const graceMs = options.originateGraceMs ?? 10_000;
  const transferred = new Set<string>();
  /**
   * Attended transfers this hub asked for, by call: the agent's channel, and whether the
   * consultation is on. Asterisk answers Atxfer before anything happens; only `Hold` on the
   * agent's channel says it began, `Unhold` that it ended without a transfer (cancelled, the
   * target hung up or never answered), and the agent's `AgentComplete` while it is on that
   * the transfer completed (`AttendedTransfer` comes only after it; c4).
   */
  const attended = new Map<string, { channel: string; consulting: boolean }>();
  const consultationOf = (channel: string | undefined) => [...attended.values()].find((a) => a.channel === channel);
  // OriginateResponse can come in the same read as the action's answer, before the caller
  // of `action()` runs again: it is matched by our ChannelId, or (when Asterisk says
  // `Uniqueid: <unknown>`) kept by ActionID until the answer has been seen.
  const byChannelId = new Map<string, DialWaiter>();
  const early = new Map<string, AmiMessage>();

  async function act(fields: AmiActionFields): Promise<AmiMessage> {
    try {
      return (await client.action(fields)).response;
    } catch (error) {
      throw pbxError(error);
    }
  }

  function callChannel(uniqueid: string, agent: boolean): string {
    const channel = agent ? index.agentChannelOf(uniqueid) : index.channelOf(uniqueid);
    if (channel === undefined) throw new CtiError(ErrorCode.NOT_FOUND, `no call in progress with uniqueid ${uniqueid}`, { field: 'uniqueid' });
    return channel;
  }

  function outcome(response: AmiMessage, command: CallDialCommand, timeoutS: number): { uniqueid: string } {
    if (amiField(response, 'Response') === 'Success') return { uniqueid: amiField(response, 'Uniqueid') ?? '' };
    const reason = amiField(response, 'Reason') ?? '';
    const text = `Originate failed: Reason ${reason} (${originateReasons[reason] ?? 'call failed'})`;
    if (reason === '3') throw new CtiError(ErrorCode.TIMEOUT, `the phone of ${command.peer} did not answer within ${timeoutS} s (${text})`);
    throw new CtiError(ErrorCode.PBX_ERROR, text);
  }

  return {
    handle(message) {
      const event = amiField(message, 'Event');
      if (event === 'Hold' || event === 'Unhold') {
        const consultation = consultationOf(amiField(message, 'Channel'));
        if (consultation) consultation.consulting = event === 'Hold';
        return;
      }
      if (event !== 'OriginateResponse') return;
      const uniqueid = amiField(message, 'Uniqueid');
      const waiter = uniqueid === undefined ? undefined : byChannelId.get(uniqueid);
      if (waiter) return waiter.settle(message);
      const actionId = amiField(message, 'ActionID');
      for (const w of byChannelId.values()) if (w.actionId !== undefined && w.actionId === actionId) return w.settle(message);
      if (actionId !== undefined) {
        early.set(actionId, message);
        setTimeout(() => early.delete(actionId), 60_000).unref();
      }
    },

    async dial(command) {
      const timeoutS = command.timeout ?? CallControlLimits.defaultTimeoutSeconds;
      const channelId = command.channelId;
      let settle: (response: AmiMessage) => void = () => undefined;
      const answered = new Promise<AmiMessage>((resolve) => {
        settle = resolve;
      });
      const waiter: DialWaiter = { settle: (m) => settle(m) };
      byChannelId.set(channelId, waiter);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const variables = Object.entries(command.variables ?? {}).map(([k, v]) => `${k}=${v}`);
        const queued = await act({
          Action: 'Originate',
          Channel: command.peer,
          Context: dialContext,
          Exten: command.number,
          Priority: '1',
          ...(command.callerid === undefined ? {} : { CallerID: command.callerid }),
          ...(command.timeout === undefined ? {} : { Timeout: String(command.timeout * 1000) }),
          ...(variables.length === 0 ? {} : { Variable: variables }),
          ChannelId: channelId,
          Async: 'true',
        });
        const actionId = amiField(queued, 'ActionID');
        if (actionId !== undefined) {
          waiter.actionId = actionId;
          const seen = early.get(actionId);
          early.delete(actionId);
          if (seen) settle(seen);
        }
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new CtiError(ErrorCode.TIMEOUT, `no OriginateResponse from the PBX within ${timeoutS} s`)),
            timeoutS * 1000 + graceMs,
          );
        });
        const response = await Promise.race([answered, timeout]);
        const { uniqueid } = outcome(response, command, timeoutS);
        return { uniqueid: uniqueid === '' || uniqueid === '<unknown>' ? channelId : uniqueid };
      } finally {
        clearTimeout(timer);
        byChannelId.delete(channelId);
      }
    },

    async hangup(command: CallHangupCommand, leg) {
      // One channel is enough: Asterisk tears the bridged call down with it (c2 the caller's, c2b the agent's).
      await act({ Action: 'Hangup', Channel: callChannel(command.uniqueid, leg === 'agent') });
    },

    async transfer(command: CallTransferCommand) {
      if (command.mode === 'blind') {
        const channel = callChannel(command.uniqueid, false);
        transferred.add(command.uniqueid);
        try {
          await act({ Action: 'Redirect', Channel: channel, Context: transferContext, Exten: command.to, Priority: '1' });
        } catch (error) {
          transferred.delete(command.uniqueid);
          throw error;
        }
        return;
      }
      if (command.mode === 'cancel') {
        // Asterisk answers Success whether or not a consultation is on (c4b); Unhold tells.
        await act({ Action: 'CancelAtxfer', Channel: callChannel(command.uniqueid, true) });
        return;
      }
      const channel = callChannel(command.uniqueid, true);
      // Known before the answer: Hold can come in the same read as it.
      attended.set(command.uniqueid, { channel, consulting: false });
      try {
        await act({ Action: 'Atxfer', Channel: channel, Exten: command.to, Context: transferContext });
      } catch (error) {
        attended.delete(command.uniqueid);
        throw error;
      }
    },

    async pause(command: AgentPauseCommand) {
      await act({
        Action: 'QueuePause',
        Interface: command.peer,
        ...(command.queue === undefined ? {} : { Queue: command.queue }),
        Paused: command.paused ? 'true' : 'false',
        ...(command.paused && command.reason !== undefined ? { Reason: command.reason } : {}),
      });
    },

    async queue(command: AgentQueueCommand) {
      if (command.member) {
        await act({
          Action: 'QueueAdd',
          Queue: command.queue,
          Interface: command.peer,
          ...(command.name === undefined ? {} : { MemberName: command.name }),
          Penalty: String(command.penalty ?? 0),
          Paused: 'false',
        });
      } else {
        await act({ Action: 'QueueRemove', Queue: command.queue, Interface: command.peer });
      }
    },

    peerOnCall: (uniqueid, peer) => index.peerOnCall(uniqueid, peer),
    wasTransferred: (uniqueid) => transferred.has(uniqueid) || attended.get(uniqueid)?.consulting === true,
    forgetTransfer(uniqueid) {
      transferred.delete(uniqueid);
      attended.delete(uniqueid);
    },
  };
}
