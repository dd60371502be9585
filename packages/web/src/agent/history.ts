import { isHttpUrl } from '@shuttle-cti/protocol';
import { h, icon, icons, replaceChildren } from '../common/dom.js';
import { formatTime, hostOf } from '../common/format.js';
import { safe } from '../common/token.js';
import type { AgentCommand, Outcome } from './tab-messages.js';
import './history.css';

export interface HistoryEntry {
  id: string;
  kind: AgentCommand['kind'];
  /** Hub time of the command. */
  time: string;
  title: string;
  detail: string;
  /** pop mode or notification type, for the icon and style. */
  variant: string;
  url?: string;
  outcome?: Outcome;
}

export interface HistoryView {
  element: HTMLElement;
  add(command: AgentCommand): void;
  mark(id: string, outcome: Outcome): void;
}

const outcomeLabels: Record<Outcome, string> = {
  tab: 'Opened in a new tab',
  window: 'Opened in a window',
  frame: 'Opened in the panel',
  blocked: 'Blocked pop-up',
  'opened-by-hand': 'Opened',
  dismissed: 'Dismissed',
  desktop: 'Desktop notification',
  toast: 'Shown here',
  refused: 'Refused: not an http(s) URL',
  expired: 'Too late to open',
};

const modeLabels: Record<string, string> = { new_tab: 'New tab', new_window: 'New window', new_frame: 'In the panel' };

/** The last pops and notifications, newest first, kept across reloads. */
export function createHistory(storageKey: string, limit = 50): HistoryView {
  let entries: HistoryEntry[] = load(storageKey);
  const list = h('ol', { class: 'history-list', 'aria-live': 'off' });
  const element = h(
    'section',
    { class: 'card history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title', class: 'card-title' }, 'Recent pops and notifications'),
    h('div', { class: 'history-scroll', tabindex: 0, 'aria-label': 'Recent pops and notifications' }, list),
  );

  const render = (): void => {
    if (entries.length === 0) {
      replaceChildren(list, h('li', { class: 'history-empty muted' }, 'Nothing yet. Pages and notifications sent to you are listed here.'));
      return;
    }
    replaceChildren(list, ...entries.map(renderEntry));
  };
  const save = (): void => {
    safe(() => localStorage.setItem(storageKey, JSON.stringify(entries)));
  };
  render();

  return {
    element,
    add(command) {
      if (entries.some((entry) => entry.id === command.delivery.id)) return;
      entries = [toEntry(command), ...entries].slice(0, limit);
      save();
      render();
    },
    mark(id, outcome) {
      const entry = entries.find((e) => e.id === id);
      if (entry === undefined || entry.outcome === outcome) return;
      entry.outcome = outcome;
      save();
      render();
    },
  };
}

function toEntry(command: AgentCommand): HistoryEntry {
  if (command.kind === 'pop') {
    const { delivery } = command;
    return {
      id: delivery.id,
      kind: 'pop',
      time: delivery.time,
      title: hostOf(delivery.url),
      detail: delivery.url,
      variant: delivery.mode,
      url: delivery.url,
    };
  }
  const { delivery } = command;
  return { id: delivery.id, kind: 'notification', time: delivery.time, title: delivery.title, detail: delivery.body, variant: delivery.type };
}

function renderEntry(entry: HistoryEntry): HTMLElement {
  const glyph = entry.kind === 'pop' ? (entry.variant === 'new_frame' ? icons.frame : entry.variant === 'new_window' ? icons.window : icons.external) : iconOfType(entry.variant);
  const status = entry.outcome === undefined ? (entry.kind === 'pop' ? modeLabels[entry.variant] ?? '' : '') : outcomeLabels[entry.outcome];
  const link =
    entry.url !== undefined && isHttpUrl(entry.url)
      ? h('a', { class: 'history-open', href: entry.url, target: '_blank', rel: 'noopener noreferrer', title: `Open ${entry.url} in a new tab` }, 'Open')
      : null;
  return h(
    'li',
    { class: `history-item kind-${entry.kind} variant-${entry.variant}`, 'data-id': entry.id, 'data-outcome': entry.outcome ?? '' },
    h('span', { class: 'history-icon' }, icon(glyph)),
    h(
      'div',
      { class: 'history-text' },
      h('div', { class: 'history-title' }, entry.title === '' ? '(no title)' : entry.title),
      h('div', { class: 'history-detail', title: entry.detail }, entry.detail),
      h('div', { class: 'history-meta' }, h('time', { datetime: entry.time }, formatTime(entry.time)), status === '' ? null : ` · ${status}`),
    ),
    link,
  );
}

export function iconOfType(type: string): string {
  switch (type) {
    case 'success':
      return icons.check;
    case 'warning':
    case 'error':
      return icons.alert;
    default:
      return icons.info;
  }
}

function load(key: string): HistoryEntry[] {
  const raw = safe(() => localStorage.getItem(key));
  const parsed = raw === null || raw === undefined ? undefined : safe(() => JSON.parse(raw) as unknown);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (entry): entry is HistoryEntry =>
      typeof entry === 'object' && entry !== null && typeof (entry as HistoryEntry).id === 'string' && typeof (entry as HistoryEntry).time === 'string',
  );
}
