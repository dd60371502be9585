import type { CallEvent } from '@shuttle-cti/protocol';
import { h, icon, icons, setText } from '../common/dom.js';
import { formatDuration, formatTime } from '../common/format.js';
import { applyCallEvent, describeReason, idle, type CallCardState } from './call-state.js';
import './call-card.css';

export interface CallCard {
  element: HTMLElement;
  apply(event: CallEvent, at: number): void;
  /** Updates the running timer. */
  tick(now: number): void;
}

const phaseLabels: Record<CallCardState['phase'], string> = {
  idle: 'No call',
  ringing: 'Ringing',
  talking: 'On call',
  outbound: 'Outbound call',
  ended: 'Call ended',
};

/**
 * The agent's current call. Its height never changes with the phase (every line is
 * always there, possibly empty), so nothing below it moves when a call comes in.
 */
export function createCallCard(): CallCard {
  let state: CallCardState = idle;
  const phase = h('span', { class: 'phase' });
  const queue = h('span', { class: 'call-queue' });
  const caller = h('div', { class: 'caller' });
  const number = h('div', { class: 'caller-number' });
  const timerLabel = h('span', { class: 'timer-label' });
  const timer = h('span', { class: 'timer', role: 'timer' });
  const detail = h('div', { class: 'call-detail' });
  const element = h(
    'section',
    { class: 'card call-card', 'aria-labelledby': 'call-title', 'data-phase': 'idle' },
    h('h2', { id: 'call-title', class: 'sr-only' }, 'Current call'),
    h('div', { class: 'call-head' }, h('span', { class: 'call-icon' }, icon(icons.phone)), phase, queue),
    caller,
    number,
    h('div', { class: 'call-timer' }, timerLabel, timer),
    detail,
  );

  const render = (now: number): void => {
    element.dataset['phase'] = state.phase;
    setText(phase, phaseLabels[state.phase]);
    if (state.phase === 'idle') {
      setText(queue, '');
      setText(caller, 'Waiting for calls');
      setText(number, 'Calls to your phone appear here.');
      setText(timerLabel, '');
      setText(timer, '');
      setText(detail, '');
      return;
    }
    setText(queue, state.queue === '' ? '' : `Queue ${state.queue}`);
    setText(caller, state.callername !== '' && state.callername !== state.callernum ? state.callername : state.callernum || 'Unknown caller');
    setText(number, state.callername !== '' && state.callername !== state.callernum ? state.callernum : '');
    switch (state.phase) {
      case 'ringing':
        setText(timerLabel, 'Waiting');
        setText(timer, formatDuration((now - state.since) / 1000));
        setText(detail, `Since ${formatTime(state.since, now)}`);
        break;
      case 'talking':
        setText(timerLabel, 'Talking');
        setText(timer, formatDuration((now - state.since) / 1000));
        setText(detail, `Answered ${formatTime(state.since, now)} · held ${formatDuration(state.holdSeconds)}`);
        break;
      case 'outbound':
        setText(caller, state.dialled || state.callernum);
        setText(number, 'Outbound');
        setText(timerLabel, 'Elapsed');
        setText(timer, formatDuration((now - state.since) / 1000));
        setText(detail, `Started ${formatTime(state.since, now)}`);
        break;
      case 'ended':
        setText(timerLabel, state.answered ? 'Talk time' : 'Not answered');
        setText(timer, state.answered ? formatDuration(state.talkSeconds) : '');
        setText(detail, `${formatTime(state.at, now)} · ${describeReason(state.reason)}`);
        break;
    }
  };
  render(Date.now());

  return {
    element,
    apply(event, at) {
      state = applyCallEvent(state, event, at);
      render(Date.now());
    },
    tick: render,
  };
}
