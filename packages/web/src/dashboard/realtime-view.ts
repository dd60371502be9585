import type { RealtimeRow } from '@shuttle-cti/protocol';
import { isHttpUrl } from '@shuttle-cti/protocol';
import { h, icon, icons, replaceChildren, setText } from '../common/dom.js';
import { formatTime, hostOf } from '../common/format.js';
import { createVirtualList } from '../common/virtual-list.js';
import type { HubApi } from './realtime-api.js';
import { cellsOf, createRealtimeRows } from './realtime-rows.js';
import './realtime.css';

export interface RealtimeView {
  element: HTMLElement;
  /** Rows from the snapshot (newest first). */
  load(rows: readonly RealtimeRow[]): void;
  /** Live rows of one frame, in arrival order. */
  push(rows: readonly RealtimeRow[]): void;
}

const pageSize = 200;

/**
 * Integration Realtime: the RealtimeCTI rows as they arrive, filtered by integration and
 * by text, older rows paged in from the HTTP API when the user scrolls to the end or
 * asks for them. Windowed, so it stays fast with tens of thousands of rows.
 */
export function createRealtimeView(api: HubApi): RealtimeView {
  const rows = createRealtimeRows();
  const exhausted = new Set<string>();
  let loading = false;

  const typeSelect = h('select', { class: 'select small', 'aria-label': 'Filter by integration' }, h('option', { value: '' }, 'All integrations'));
  const search = h('input', { type: 'search', class: 'search small', placeholder: 'Search caller, queue, agent, reference…', 'aria-label': 'Filter rows by text' });
  const status = h('span', { class: 'realtime-status muted', 'aria-live': 'polite' });
  const olderButton = h('button', { type: 'button', class: 'button small', onclick: () => void loadOlder() }, 'Load older rows');
  const header = h(
    'div',
    { class: 'rt-row rt-head', role: 'row' },
    ...['Time', 'Integration', 'Caller', 'Queue', 'Agent', 'Reference', 'Link'].map((label) => h('span', { role: 'columnheader' }, label)),
  );
  const list = createVirtualList<RealtimeRow>({
    rowHeight: 36,
    label: 'Integration Realtime rows',
    empty: 'No rows yet. Integrations add rows with RealtimeCTI (pushevent).',
    renderRow: (row, element) => {
      element.className = 'vrow rt-row';
      element.dataset['id'] = row.id;
      const cells = cellsOf(row);
      const link = isHttpUrl(row.url)
        ? h('a', { href: row.url, target: '_blank', rel: 'noopener noreferrer', title: row.url, class: 'rt-link' }, icon(icons.external), hostOf(row.url))
        : h('span', { class: 'muted' }, '—');
      replaceChildren(
        element,
        h('span', { role: 'cell', class: 'mono' }, h('time', { datetime: row.time }, formatTime(row.time))),
        h('span', { role: 'cell' }, h('span', { class: 'tag' }, row.type)),
        h('span', { role: 'cell', class: 'ellipsis', title: cells.caller }, cells.caller),
        h('span', { role: 'cell', class: 'ellipsis' }, cells.queue),
        h('span', { role: 'cell', class: 'ellipsis', title: cells.agent }, cells.agent),
        h('span', { role: 'cell', class: 'ellipsis mono', title: row.reference }, row.reference),
        h('span', { role: 'cell', class: 'ellipsis' }, link),
      );
    },
    onNearEnd: () => void loadOlder(),
  });
  const element = h(
    'section',
    { class: 'card realtime-card', 'aria-labelledby': 'realtime-title' },
    h('div', { class: 'card-head realtime-head' }, h('h2', { id: 'realtime-title', class: 'card-title' }, 'Integration Realtime'), typeSelect, search, h('span', { class: 'topbar-spacer' }), status, olderButton),
    h('div', { class: 'rt-table' }, header, list.element),
  );

  const updateStatus = (): void => {
    const shown = rows.view().length;
    const key = rows.filter().type;
    const more = exhausted.has(key) ? ' · no older rows' : '';
    setText(status, `${shown.toLocaleString()} shown of ${rows.size().toLocaleString()} loaded${more}`);
    olderButton.disabled = loading || exhausted.has(key);
  };
  const updateTypes = (): void => {
    const types = rows.types();
    if (typeSelect.options.length - 1 === types.length) return;
    const selected = typeSelect.value;
    replaceChildren(typeSelect, h('option', { value: '' }, 'All integrations'), ...types.map((t) => h('option', { value: t }, t)));
    typeSelect.value = selected;
  };
  const refresh = (prepended = 0): void => {
    list.setItems(rows.view(), prepended);
    updateTypes();
    updateStatus();
  };
  const applyFilter = (): void => {
    rows.setFilter({ type: typeSelect.value, text: search.value });
    refresh();
  };

  async function loadOlder(): Promise<void> {
    const type = rows.filter().type;
    if (loading || exhausted.has(type)) return;
    loading = true;
    updateStatus();
    try {
      const before = rows.oldestId();
      const page = await api.realtime({ limit: pageSize, ...(type === '' ? {} : { type }), ...(before === undefined ? {} : { before }) });
      if (page.length < pageSize) exhausted.add(type);
      rows.addOlder(page);
    } catch (error) {
      setText(status, `Could not load older rows: ${error instanceof Error ? error.message : String(error)}`);
      loading = false;
      olderButton.disabled = false;
      return;
    }
    loading = false;
    refresh();
  }

  typeSelect.addEventListener('change', applyFilter);
  search.addEventListener('input', applyFilter);
  refresh();

  return {
    element,
    load(snapshotRows) {
      rows.addOlder(snapshotRows);
      refresh();
    },
    push(live) {
      refresh(rows.addNewest(live));
    },
  };
}
