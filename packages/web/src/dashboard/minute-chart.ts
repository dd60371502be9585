import { h, setText } from '../common/dom.js';
import { formatClock, formatTime } from '../common/format.js';
import type { MinuteBucket } from './minute-series.js';
import './minute-chart.css';

export interface MinuteChart {
  element: HTMLElement;
  render(buckets: readonly MinuteBucket[], coveredFrom: number | undefined): void;
}

const svgNs = 'http://www.w3.org/2000/svg';
const width = 600;
const height = 100;

/** Calls per minute over the last hour, as an inline SVG bar chart (abandoned part in red). */
export function createMinuteChart(): MinuteChart {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'chart-svg');
  svg.setAttribute('role', 'img');
  const summary = h('p', { class: 'chart-summary' });
  const peak = h('span', { class: 'chart-peak' });
  const start = h('span', {});
  const note = h('span', { class: 'chart-note muted' });
  const element = h(
    'section',
    { class: 'card chart-card', 'aria-labelledby': 'chart-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'chart-title', class: 'card-title' }, 'Calls per minute · last hour'), peak),
    h('div', { class: 'chart-plot' }, svg),
    h('div', { class: 'chart-axis muted' }, start, note, h('span', {}, 'now')),
    summary,
  );
  let last = '';

  return {
    element,
    render(buckets, coveredFrom) {
      const key = buckets.map((b) => `${b.minute}:${b.calls}:${b.abandoned}`).join(',') + String(coveredFrom);
      if (key === last) return;
      last = key;
      const max = Math.max(1, ...buckets.map((b) => b.calls));
      const slot = width / Math.max(1, buckets.length);
      const bars: SVGElement[] = [];
      const gridline = document.createElementNS(svgNs, 'line');
      for (const [attr, value] of [['x1', 0], ['x2', width], ['y1', height - 0.5], ['y2', height - 0.5]] as const) gridline.setAttribute(attr, String(value));
      gridline.setAttribute('class', 'chart-base');
      bars.push(gridline);
      buckets.forEach((b, i) => {
        const x = i * slot + slot * 0.15;
        const w = slot * 0.7;
        const title = document.createElementNS(svgNs, 'title');
        title.textContent = `${formatClock(b.minute * 60_000)}: ${b.calls} calls, ${b.abandoned} abandoned`;
        const total = (b.calls / max) * (height - 4);
        const lost = (Math.min(b.abandoned, b.calls) / max) * (height - 4);
        const bar = document.createElementNS(svgNs, 'rect');
        bar.setAttribute('x', x.toFixed(2));
        bar.setAttribute('y', (height - total).toFixed(2));
        bar.setAttribute('width', w.toFixed(2));
        bar.setAttribute('height', total.toFixed(2));
        bar.setAttribute('class', 'chart-bar');
        bar.appendChild(title);
        bars.push(bar);
        if (lost > 0) {
          const red = document.createElementNS(svgNs, 'rect');
          red.setAttribute('x', x.toFixed(2));
          red.setAttribute('y', (height - lost).toFixed(2));
          red.setAttribute('width', w.toFixed(2));
          red.setAttribute('height', lost.toFixed(2));
          red.setAttribute('class', 'chart-bar-lost');
          bars.push(red);
        }
      });
      svg.replaceChildren(...bars);
      const total = buckets.reduce((sum, b) => sum + b.calls, 0);
      const busiest = buckets.reduce<MinuteBucket | undefined>((best, b) => (best === undefined || b.calls > best.calls ? b : best), undefined);
      const first = buckets[0];
      setText(start, first === undefined ? '' : formatClock(first.minute * 60_000));
      setText(peak, `peak ${busiest?.calls ?? 0}/min`);
      const partial = coveredFrom !== undefined && first !== undefined && coveredFrom > first.minute * 60_000;
      setText(note, partial ? `counted since ${formatTime(coveredFrom)}` : '');
      const text = `${total} calls in the last hour, at most ${busiest?.calls ?? 0} in one minute.`;
      setText(summary, text);
      svg.setAttribute('aria-label', text);
    },
  };
}
