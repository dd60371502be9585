import type { AgentNotificationDelivery } from '@shuttle-cti/protocol';
import { h, icon, icons } from '../common/dom.js';
import { formatTime } from '../common/format.js';
import { iconOfType } from './history.js';
import './toasts.css';

export interface Toasts {
  element: HTMLElement;
  show(notification: AgentNotificationDelivery): void;
}

const maxVisible = 4;
const autoCloseMs: Record<string, number | undefined> = { info: 10_000, success: 8_000 };

/**
 * In-page notifications, overlaid in a corner (fixed position, so the layout never
 * moves). Info and success fade after a few seconds; warnings and errors stay until
 * closed, as the agent may have looked away.
 */
export function createToasts(): Toasts {
  const element = h('div', { class: 'toasts', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  return {
    element,
    show(notification) {
      const close = (): void => toast.remove();
      const toast = h(
        'div',
        { class: `toast toast-${notification.type}`, role: notification.type === 'error' ? 'alert' : 'status', 'data-id': notification.id },
        h('span', { class: 'toast-icon' }, icon(iconOfType(notification.type))),
        h(
          'div',
          { class: 'toast-text' },
          h('div', { class: 'toast-title' }, notification.title),
          notification.body === '' ? null : h('div', { class: 'toast-body' }, notification.body),
          h('time', { class: 'toast-time', datetime: notification.time }, formatTime(notification.time)),
        ),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': `Close notification: ${notification.title}`, onclick: close }, icon(icons.close)),
      );
      element.prepend(toast);
      while (element.children.length > maxVisible) element.lastElementChild?.remove();
      const delay = autoCloseMs[notification.type];
      if (delay !== undefined) setTimeout(close, delay);
    },
  };
}
