import type { LiveCall } from '@shuttle-cti/protocol';
import { h, replaceChildren } from '../common/dom.js';
import { formatDuration } from '../common/format.js';
import type { HubClock } from '../common/clock.js';
import { createVirtualList } from '../common/virtual-list.js';
import { queueSummaries, type LiveState } from './live-state.js';
import './live-lists.css';

export interface CallsView {
  queues: HTMLElement;
  calls: HTMLElement;
  render(state: LiveState): void;
  /** Timers only. */
  tick(): void;
}

/** Live calls: a per-queue summary and the list of calls in progress with their timers. */
export function createCallsView(clock: HubClock): CallsView {
  const elapsed = (since: string | undefined): string => (since === undefined ? '' : formatDuration((clock.now() - Date.parse(since)) / 1000));
  const tbody = h('tbody', {});
  const queues = h(
    'section',
    { class: 'card queues-card', 'aria-labelledby': 'queues-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'queues-title', class: 'card-title' }, 'Queues')),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'queues-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Queue'), h('th', { scope: 'col', class: 'num' }, 'Waiting'), h('th', { scope: 'col', class: 'num' }, 'Talking'), h('th', { scope: 'col', class: 'num', title: 'Longest wait' }, 'Longest'))),
        tbody,
      ),
    ),
  );
  const count = h('span', { class: 'card-count' });
  const list = createVirtualList<LiveCall>({
    rowHeight: 44,
    label: 'Calls in progress',
    empty: 'No calls right now.',
    renderRow: (call, row) => {
      row.className = `vrow call-row state-${call.state}`;
      const who = call.state === 'talking' ? call.agentname ?? call.peer ?? '' : call.ringing.length > 0 ? `ringing ${call.ringing.join(', ')}` : 'in queue';
      const name = call.callername !== undefined && call.callername !== '' && call.callername !== call.callernum ? call.callername : '';
      replaceChildren(
        row,
        h('span', { role: 'cell' }, h('span', { class: `pill pill-${call.state}` }, call.state === 'waiting' ? 'Waiting' : call.state === 'talking' ? 'Talking' : 'Outbound')),
        h('span', { role: 'cell', class: 'call-who' }, h('strong', {}, name || call.callernum), name === '' ? null : h('span', { class: 'muted mono' }, call.callernum)),
        h('span', { role: 'cell', class: 'call-queue-cell' }, h('span', {}, call.queue), h('span', { class: 'muted ellipsis', title: who }, who)),
        h('span', { role: 'cell', class: 'timer-cell mono' }, elapsed(call.state === 'talking' ? call.answeredAt ?? call.since : call.since)),
      );
    },
  });
  const calls = h(
    'section',
    { class: 'card calls-card', 'aria-labelledby': 'calls-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'calls-title', class: 'card-title' }, 'Calls in progress'), count),
    list.element,
  );
  let summaries: ReturnType<typeof queueSummaries> = [];

  const renderQueues = (): void => {
    if (summaries.length === 0) {
      replaceChildren(tbody, h('tr', {}, h('td', { colspan: 4, class: 'muted empty-cell' }, 'No calls in any queue.')));
      return;
    }
    replaceChildren(
      tbody,
      ...summaries.map((q) =>
        h(
          'tr',
          { 'data-queue': q.queue },
          h('th', { scope: 'row' }, q.queue),
          h('td', { class: `num ${q.waiting > 0 ? 'warn-text' : ''}`, 'data-col': 'waiting' }, q.waiting),
          h('td', { class: 'num', 'data-col': 'talking' }, q.talking),
          h('td', { class: 'num mono' }, q.oldestWaiting === undefined ? '—' : elapsed(q.oldestWaiting)),
        ),
      ),
    );
  };

  return {
    queues,
    calls,
    render(state) {
      const all = [...state.calls.values()];
      summaries = queueSummaries(all);
      renderQueues();
      const order = (c: LiveCall): number => (c.state === 'waiting' ? 0 : 1);
      all.sort((a, b) => order(a) - order(b) || (a.answeredAt ?? a.since).localeCompare(b.answeredAt ?? b.since));
      count.textContent = String(all.length);
      list.setItems(all);
    },
    tick() {
      renderQueues();
      list.refresh();
    },
  };
}
