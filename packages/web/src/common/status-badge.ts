import { h, setText } from './dom.js';
import type { StateChange } from './connection.js';
import './status-badge.css';

const labels: Record<StateChange['state'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  'signed-out': 'Signed out',
};

export interface StatusBadge {
  element: HTMLElement;
  set(change: StateChange): void;
}

/** The connection state pill in the header; announced to screen readers when it changes. */
export function createStatusBadge(): StatusBadge {
  const text = h('span', { class: 'status-text' });
  const element = h('span', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-state': 'connecting' }, h('span', { class: 'status-dot' }), text);
  setText(text, labels.connecting);
  return {
    element,
    set(change) {
      element.dataset['state'] = change.state;
      setText(text, labels[change.state]);
      element.title = change.detail ?? labels[change.state];
    },
  };
}
