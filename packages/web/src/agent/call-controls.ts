import type { AgentStateEvent, AgentWelcomeState, CallControlAck, CallControlCommandMap, CallEvent } from '@shuttle-cti/protocol';
import { h, setText } from '../common/dom.js';
import { formatDuration } from '../common/format.js';
import './call-controls.css';

type AckResult = CallControlAck;
type ControlName = 'CallDial' | 'CallHangup' | 'CallTransfer' | 'AgentPause';
/** A command the agent's panel sends, with its payload (the protocol's command map). */
export type ControlCommand = { [K in ControlName]: { name: K; payload: CallControlCommandMap[K] } }[ControlName];
/**
 * Sends a call-control command and resolves with the hub's ack. The payload has the
 * command's shape; its values are the agent's input as typed (the hub validates them).
 */
export type SendCommand = (command: ControlCommand) => Promise<AckResult>;

export interface CallControls {
  element: HTMLElement;
  /**
   * The agent's own peer and the hub's settings (from `welcome`), with its pause state and
   * queues as the hub knew them then (`pausedSince` already in local epoch ms).
   */
  configure(peer: string, options: { enabled: boolean; pauseReasons: readonly string[]; state?: AgentWelcomeState | undefined; pausedSinceMs?: number | undefined }): void;
  call(event: CallEvent): void;
  agentState(event: AgentStateEvent): void;
  tick(now: number): void;
  /** Prefills the dial box (tel: links). */
  prefill(number: string): void;
}

/**
 * The agent's call control (protocol 1.2): a dial box (Enter dials), Hang up and Transfer
 * (blind or attended, with a target; an attended one can be cancelled while consulting) while
 * on a call, Pause with a reason / Ready with how
 * long the agent has been paused. Every action shows its outcome, the PBX's text when refused.
 */
export function createCallControls(send: SendCommand): CallControls {
  let peer = '';
  let current: string | undefined;
  const queues = new Map<string, { paused: boolean; reason?: string | undefined }>();
  let pausedSince: number | undefined;
  let reason = '';

  const outcome = h('p', { class: 'control-outcome', role: 'status', 'aria-live': 'polite' });
  const report = (what: string, ack: AckResult, ok: string): void => {
    outcome.dataset['result'] = ack.ok ? 'ok' : ack.error.code;
    setText(outcome, ack.ok ? ok : `${what} refused: ${ack.error.message}`);
  };
  const run = (what: string, command: ControlCommand, ok: string, then?: (ack: AckResult) => void): void => {
    outcome.dataset['result'] = 'pending';
    setText(outcome, `${what}…`);
    send(command).then(
      (ack) => {
        report(what, ack, ok);
        then?.(ack);
      },
      () => report(what, { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the hub' } }, ok),
    );
  };

  const number = h('input', { id: 'dial-number', type: 'tel', inputmode: 'tel', autocomplete: 'off', placeholder: 'Number', 'aria-label': 'Number to dial' });
  const dial = (): void => {
    const value = number.value.replace(/[\s().-]/g, '');
    if (value === '') return;
    run('Dial', { name: 'CallDial', payload: { peer, number: value } }, `Dialling ${value}: answer your phone`);
  };
  number.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      dial();
    }
  });
  const dialButton = h('button', { type: 'button', class: 'button', onclick: dial }, 'Dial');

  const hangupButton = h('button', { type: 'button', class: 'button danger', onclick: () => current && run('Hang up', { name: 'CallHangup', payload: { uniqueid: current } }, 'Call hung up') }, 'Hang up');
  const target = h('input', { id: 'transfer-to', type: 'text', autocomplete: 'off', placeholder: 'Transfer to', 'aria-label': 'Transfer target' });
  const mode = h('select', { id: 'transfer-mode', 'aria-label': 'Transfer mode' }, h('option', { value: 'blind' }, 'Blind'), h('option', { value: 'attended' }, 'Attended'));
  // An attended transfer consults the target first: hanging up completes it, Cancel transfer
  // (CallTransfer mode cancel) brings the agent back to the caller.
  const cancelButton = h('button', { type: 'button', class: 'button', hidden: true, onclick: () => cancel() }, 'Cancel transfer');
  const consulting = (on: boolean): void => {
    cancelButton.hidden = !on;
    target.hidden = on;
    mode.hidden = on;
    transferButton.hidden = on;
  };
  const cancel = (): void => {
    if (!current) return;
    run('Cancel transfer', { name: 'CallTransfer', payload: { uniqueid: current, mode: 'cancel' } }, 'Transfer cancelled: back with the caller', (ack) => ack.ok && consulting(false));
  };
  const transfer = (): void => {
    const to = target.value.trim();
    if (!current || to === '') return;
    if (mode.value === 'attended') {
      run('Transfer', { name: 'CallTransfer', payload: { uniqueid: current, to, mode: 'attended' } }, `Consulting ${to}: hang up to complete the transfer`, (ack) => ack.ok && consulting(true));
      return;
    }
    run('Transfer', { name: 'CallTransfer', payload: { uniqueid: current, to, mode: 'blind' } }, `Transferred to ${to}`);
  };
  target.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      transfer();
    }
  });
  const transferButton = h('button', { type: 'button', class: 'button', onclick: transfer }, 'Transfer');
  const onCall = h('div', { class: 'control-row on-call', hidden: true }, hangupButton, target, mode, transferButton, cancelButton);

  const reasons = h('select', { id: 'pause-reason', 'aria-label': 'Pause reason' });
  const pauseButton = h('button', { type: 'button', class: 'button', onclick: () => run('Pause', { name: 'AgentPause', payload: { peer, paused: true, reason: reasons.value } }, `Paused: ${reasons.value}`) }, 'Pause');
  const readyButton = h('button', { type: 'button', class: 'button', hidden: true, onclick: () => run('Ready', { name: 'AgentPause', payload: { peer, paused: false } }, 'Ready') }, 'Ready');
  const pauseState = h('span', { class: 'pause-state', 'data-paused': 'false' }, 'Ready');

  const element = h(
    'section',
    { class: 'card call-controls', 'aria-labelledby': 'controls-title', hidden: true },
    h('h2', { id: 'controls-title', class: 'sr-only' }, 'Call control'),
    h('div', { class: 'control-row dial' }, number, dialButton),
    onCall,
    h('div', { class: 'control-row pause' }, pauseState, reasons, pauseButton, readyButton),
    outcome,
  );

  const showPause = (now: number): void => {
    const paused = [...queues.values()].some((q) => q.paused);
    pauseState.dataset['paused'] = String(paused);
    setText(pauseState, paused ? `Paused (${reason}) ${formatDuration(Math.max(0, Math.floor((now - (pausedSince ?? now)) / 1000)))}` : 'Ready');
    readyButton.hidden = !paused;
    pauseButton.hidden = paused;
    reasons.hidden = paused;
  };

  return {
    element,
    configure(p, options) {
      peer = p;
      element.hidden = !options.enabled;
      reasons.replaceChildren(...options.pauseReasons.map((r) => h('option', { value: r }, r)));
      const state = options.state;
      if (state?.queues === undefined) return;
      // What the hub knows now replaces what this page knew (a reconnect may have missed changes).
      queues.clear();
      const pausedIn = new Set(state.pausedQueues ?? (state.paused ? state.queues : []));
      for (const queue of state.queues) queues.set(queue, { paused: pausedIn.has(queue), reason: pausedIn.has(queue) ? state.reason : undefined });
      pausedSince = state.paused ? (options.pausedSinceMs ?? Date.now()) : undefined;
      reason = state.reason ?? '';
      showPause(Date.now());
    },
    call(event) {
      if (event.event === 'up' || event.event === 'outbound') current = event.uniqueid;
      else if (event.event === 'hangup' && event.uniqueid === current) {
        current = undefined;
        consulting(false);
        if (event.reason === 'transfer') setText(outcome, 'Call transferred');
      }
      onCall.hidden = current === undefined;
    },
    agentState(event) {
      if (event.peer !== peer) return;
      const was = [...queues.values()].some((q) => q.paused);
      if (event.member) queues.set(event.queue, { paused: event.paused, reason: event.reason });
      else queues.delete(event.queue);
      const now = [...queues.values()].some((q) => q.paused);
      if (now && !was) pausedSince = Date.now();
      if (event.paused && event.reason) reason = event.reason;
      showPause(Date.now());
    },
    tick: (now) => showPause(now),
    prefill(value) {
      number.value = value;
      number.focus();
    },
  };
}
