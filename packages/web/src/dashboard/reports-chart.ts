import { h, setText } from '../common/dom.js';
import type { QueueRow } from './reports-api.js';

const svgNs = 'http://www.w3.org/2000/svg';
const width = 720;
const height = 160;
const series = [
  { key: 'offered', label: 'Offered', css: 'rc-offered' },
  { key: 'answered', label: 'Answered', css: 'rc-answered' },
  { key: 'abandoned', label: 'Abandoned', css: 'rc-abandoned' },
] as const;

export interface IntervalTotals {
  from: string;
  offered: number;
  answered: number;
  abandoned: number;
}

/** The queue rows summed per interval, in time order. */
export function totalsPerInterval(rows: readonly QueueRow[]): IntervalTotals[] {
  const byFrom = new Map<string, IntervalTotals>();
  for (const r of rows) {
    const t = byFrom.get(r.from) ?? { from: r.from, offered: 0, answered: 0, abandoned: 0 };
    t.offered += r.offered;
    t.answered += r.answered;
    t.abandoned += r.abandoned;
    byFrom.set(r.from, t);
  }
  return [...byFrom.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

const rect = (x: number, y: number, w: number, hgt: number, css: string, title: string): SVGRectElement => {
  const r = document.createElementNS(svgNs, 'rect');
  r.setAttribute('x', x.toFixed(2));
  r.setAttribute('y', y.toFixed(2));
  r.setAttribute('width', w.toFixed(2));
  r.setAttribute('height', hgt.toFixed(2));
  r.setAttribute('class', css);
  const t = document.createElementNS(svgNs, 'title');
  t.textContent = title;
  r.appendChild(t);
  return r;
};

/** Offered, answered and abandoned calls per interval, as grouped bars. */
export function createReportsChart(): { element: HTMLElement; render(totals: readonly IntervalTotals[], label: (iso: string) => string): void } {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'rc-svg');
  svg.setAttribute('role', 'img');
  const axis = h('div', { class: 'rc-axis muted' });
  const peak = h('span', { class: 'rc-peak muted' });
  const legend = h(
    'div',
    { class: 'rc-legend' },
    ...series.map((s) => h('span', { class: 'rc-key' }, h('span', { class: `rc-swatch ${s.css}` }), s.label)),
    peak,
  );
  const element = h(
    'section',
    { class: 'card rc-card', 'aria-labelledby': 'rc-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'rc-title', class: 'card-title' }, 'Calls per interval'), legend),
    h('div', { class: 'rc-plot' }, svg),
    axis,
  );
  return {
    element,
    render(totals, label) {
      const max = Math.max(1, ...totals.map((t) => t.offered));
      const slot = width / Math.max(1, totals.length);
      const bar = (slot * 0.8) / series.length;
      const shapes: SVGElement[] = [];
      totals.forEach((t, i) => {
        series.forEach((s, j) => {
          const value = t[s.key];
          const hgt = (value / max) * (height - 6);
          shapes.push(rect(i * slot + slot * 0.1 + j * bar, height - hgt, bar * 0.9, hgt, s.css, `${label(t.from)}: ${value} ${s.label.toLowerCase()}`));
        });
      });
      svg.replaceChildren(...shapes);
      // At most about eight labels under the bars, evenly spaced.
      const step = Math.max(1, Math.ceil(totals.length / 8));
      axis.replaceChildren(
        ...totals.map((t, i) => h('span', { style: `left:${(((i + 0.5) * 100) / Math.max(1, totals.length)).toFixed(2)}%` }, i % step === 0 ? label(t.from) : '')),
      );
      const offered = totals.reduce((n, t) => n + t.offered, 0);
      const abandoned = totals.reduce((n, t) => n + t.abandoned, 0);
      setText(peak, `peak ${max === 1 && offered === 0 ? 0 : max} offered`);
      svg.setAttribute('aria-label', `${offered} calls offered, ${abandoned} abandoned, over ${totals.length} intervals`);
    },
  };
}
