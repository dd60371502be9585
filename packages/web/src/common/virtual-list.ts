import { h } from './dom.js';
import './virtual-list.css';

export interface VirtualListOptions<T> {
  /** Fixed height of one row in px (CSS must agree: `.vrow { height }`). */
  rowHeight: number;
  label: string;
  empty: string;
  /** Fills a (reused) row element with an item. */
  renderRow: (item: T, row: HTMLElement) => void;
  /** Called when the user scrolls close to the end (to page older rows in). */
  onNearEnd?: () => void;
}

export interface VirtualList<T> {
  element: HTMLElement;
  /**
   * Replaces the items. `prepended` = how many of them are new at the top: when the
   * user has scrolled down, the view is shifted by as much so what they read stays put.
   */
  setItems(items: readonly T[], prepended?: number): void;
  /** Re-renders the visible rows (timers, relative times). */
  refresh(): void;
}

const overscan = 6;

/**
 * Windowed rendering: only the rows in view (plus a few) exist in the DOM, so a table
 * of tens of thousands of rows scrolls and updates as fast as one of thirty.
 */
export function createVirtualList<T>(options: VirtualListOptions<T>): VirtualList<T> {
  const { rowHeight } = options;
  const spacer = h('div', { class: 'vspacer' });
  const layer = h('div', { class: 'vlayer', role: 'rowgroup' });
  const empty = h('div', { class: 'vempty muted' }, options.empty);
  const element = h('div', { class: 'vlist', tabindex: 0, role: 'table', 'aria-label': options.label }, spacer, layer, empty);
  let items: readonly T[] = [];
  const pool: HTMLElement[] = [];
  let scheduled = false;

  const render = (): void => {
    scheduled = false;
    const height = element.clientHeight || rowHeight * 20;
    const first = Math.max(0, Math.floor(element.scrollTop / rowHeight) - overscan);
    const last = Math.min(items.length, Math.ceil((element.scrollTop + height) / rowHeight) + overscan);
    const count = Math.max(0, last - first);
    while (pool.length < count) pool.push(h('div', { class: 'vrow', role: 'row' }));
    layer.style.transform = `translateY(${first * rowHeight}px)`;
    for (let i = 0; i < count; i += 1) {
      const row = pool[i] as HTMLElement;
      const item = items[first + i] as T;
      row.setAttribute('aria-rowindex', String(first + i + 1));
      options.renderRow(item, row);
      if (layer.children[i] !== row) layer.insertBefore(row, layer.children[i] ?? null);
    }
    while (layer.children.length > count) layer.lastElementChild?.remove();
    if (options.onNearEnd !== undefined && items.length > 0 && last >= items.length - overscan) options.onNearEnd();
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  };

  element.addEventListener('scroll', schedule, { passive: true });
  new ResizeObserver(schedule).observe(element);

  return {
    element,
    setItems(next, prepended = 0) {
      items = next;
      spacer.style.height = `${items.length * rowHeight}px`;
      element.setAttribute('aria-rowcount', String(items.length));
      empty.hidden = items.length > 0;
      if (prepended > 0 && element.scrollTop > 0) element.scrollTop += prepended * rowHeight;
      render();
    },
    refresh: render,
  };
}
