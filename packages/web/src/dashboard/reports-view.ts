import { h, setText } from '../common/dom.js';
import { createReportsChart, totalsPerInterval } from './reports-chart.js';
import type { AgentRow, QueueRow, ReportQuery, ReportsApi } from './reports-api.js';
import './reports.css';

/** A duration in seconds as `42 s` or `3:05`; `—` when there is none. */
export function formatSeconds(value: number | null): string {
  if (value === null) return '—';
  if (value < 60) return `${value} s`;
  const whole = Math.round(value);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const percent = (value: number | null): string => (value === null ? '—' : `${value}%`);

/** How a service level reads against the target: met, within 10 points, below. */
export function serviceLevelState(value: number | null, target: number): 'met' | 'near' | 'below' | 'none' {
  if (value === null) return 'none';
  return value >= target ? 'met' : value >= target - 10 ? 'near' : 'below';
}

const localDate = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function table(caption: string, head: readonly string[], rows: readonly HTMLTableRowElement[], empty: string): HTMLTableElement {
  return h(
    'table',
    { class: 'report-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', class: i === 0 ? '' : 'num' }, c)))),
    h('tbody', {}, ...(rows.length > 0 ? rows : [h('tr', {}, h('td', { colspan: head.length, class: 'muted report-empty' }, empty))])),
  );
}

/**
 * The Reports view: a date range and interval, the queues table (service level coloured
 * against the target), offered/answered/abandoned per interval, the agents table, and
 * each report as a CSV file. Figures are the hub's (GET /api/v1/reports/…).
 */
export function createReportsView(api: ReportsApi): { element: HTMLElement; load(): void } {
  const today = localDate(new Date());
  const from = h('input', { type: 'date', class: 'input small', name: 'from', value: today, 'aria-label': 'From (date)' });
  const to = h('input', { type: 'date', class: 'input small', name: 'to', value: today, 'aria-label': 'To (date, inclusive)' });
  const interval = h(
    'select',
    { class: 'select small', name: 'interval', 'aria-label': 'Interval' },
    h('option', { value: 'hour' }, 'Per hour'),
    h('option', { value: 'day' }, 'Per day'),
    h('option', { value: 'total' }, 'Whole range'),
  );
  const sla = h('input', { type: 'number', class: 'input small num-input', name: 'sla', min: 0, max: 3600, value: 20, 'aria-label': 'Service level: answered within (seconds)' });
  const target = h('input', { type: 'number', class: 'input small num-input', name: 'target', min: 0, max: 100, value: 80, 'aria-label': 'Service level target (%)' });
  const status = h('span', { class: 'report-status muted', 'aria-live': 'polite' });
  const chart = createReportsChart();
  const queuesBox = h('div', { class: 'report-scroll' });
  const agentsBox = h('div', { class: 'report-scroll' });
  const targetNote = h('span', { class: 'muted report-note' });
  let targetTouched = false;
  let slaTouched = false;
  let lastQueues: QueueRow[] = [];

  const query = (): ReportQuery => ({
    from: from.value || today,
    to: to.value || from.value || today,
    interval: interval.value as ReportQuery['interval'],
    sla: Number(sla.value) || 0,
  });

  const download = async (kind: 'queues' | 'agents'): Promise<void> => {
    const q = query();
    try {
      const text = await api.csv(kind, q);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = h('a', { href: url, download: `${kind}-${q.from}-${q.to}-${q.interval}.csv` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setText(status, error instanceof Error ? error.message : String(error));
    }
  };

  const renderQueues = (rows: readonly QueueRow[]): void => {
    const goal = Number(target.value) || 0;
    setText(targetNote, `target ${goal}% within ${Number(sla.value) || 0} s`);
    const body = rows.map((r) =>
      h(
        'tr',
        { 'data-queue': r.queue },
        h('th', { scope: 'row' }, r.queue),
        h('td', { class: 'num' }, r.offered),
        h('td', { class: 'num' }, r.answered),
        h('td', { class: 'num' }, r.abandoned),
        h('td', { class: 'num' }, h('span', { class: 'sl', 'data-sl': serviceLevelState(r.serviceLevel, goal), 'data-kpi': 'serviceLevel' }, percent(r.serviceLevel))),
        h('td', { class: 'num' }, formatSeconds(r.asa)),
        h('td', { class: 'num' }, formatSeconds(r.aht)),
        h('td', { class: 'num' }, formatSeconds(r.maxWait)),
        h('td', { class: 'num' }, percent(r.abandonRate)),
      ),
    );
    queuesBox.replaceChildren(
      table('Queues', ['Queue', 'Offered', 'Answered', 'Abandoned', 'Service level', 'Avg. speed of answer', 'Avg. handle time', 'Longest wait', 'Abandon rate'], body, 'No queue calls in this range.'),
    );
  };

  const renderAgents = (rows: readonly AgentRow[]): void => {
    const body = rows.map((r) =>
      h(
        'tr',
        { 'data-peer': r.peer },
        h('th', { scope: 'row' }, h('span', { class: 'agent-name' }, r.agentname || r.peer), h('span', { class: 'muted mono agent-peer' }, r.peer)),
        h('td', { class: 'num' }, r.offered),
        h('td', { class: 'num' }, r.answered),
        h('td', { class: 'num' }, r.ringNoAnswer),
        h('td', { class: 'num' }, formatSeconds(r.talkSeconds)),
        h('td', { class: 'num' }, formatSeconds(r.aht)),
        h('td', { class: 'num' }, r.outbound),
        h('td', { class: 'num' }, formatSeconds(r.pausedSeconds)),
      ),
    );
    agentsBox.replaceChildren(
      table('Agents', ['Agent', 'Rung', 'Answered', 'Not answered', 'Talk time', 'Avg. handle time', 'Outbound', 'Paused'], body, 'No agent activity in this range.'),
    );
  };

  let generation = 0;
  const load = (): void => {
    const q = query();
    const mine = ++generation;
    setText(status, 'Loading…');
    const totals = { ...q, interval: 'total' as const };
    Promise.all([api.queues(totals), api.queues(q), api.agents(totals)])
      .then(([queueTotals, perInterval, agents]) => {
        if (mine !== generation) return;
        if (!targetTouched) target.value = String(queueTotals.target.serviceLevel);
        if (!slaTouched && Number(sla.value) !== queueTotals.sla) sla.value = String(queueTotals.sla);
        lastQueues = queueTotals.rows;
        renderQueues(lastQueues);
        renderAgents(agents.rows);
        const zone = perInterval.timeZone;
        const fmt =
          q.interval === 'hour'
            ? new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: '2-digit', minute: '2-digit', ...(q.from === q.to ? {} : { day: 'numeric', month: 'short' }) })
            : new Intl.DateTimeFormat(undefined, { timeZone: zone, day: 'numeric', month: 'short' });
        chart.render(totalsPerInterval(perInterval.rows), (iso) => fmt.format(new Date(iso)));
        setText(status, `${q.from === q.to ? q.from : `${q.from} to ${q.to}`} · times in ${zone}`);
      })
      .catch((error: unknown) => {
        if (mine === generation) setText(status, error instanceof Error ? error.message : String(error));
      });
  };

  for (const input of [from, to, interval]) input.addEventListener('change', load);
  sla.addEventListener('change', () => {
    slaTouched = true;
    load();
  });
  target.addEventListener('input', () => {
    targetTouched = true;
    renderQueues(lastQueues);
  });

  const element = h(
    'section',
    { class: 'reports', id: 'reports', 'aria-labelledby': 'reports-title' },
    h(
      'form',
      { class: 'card report-controls', onsubmit: (e: Event) => { e.preventDefault(); load(); } },
      h('h2', { id: 'reports-title', class: 'card-title' }, 'Reports'),
      h('label', { class: 'field' }, h('span', {}, 'From'), from),
      h('label', { class: 'field' }, h('span', {}, 'To'), to),
      h('label', { class: 'field' }, h('span', {}, 'Interval'), interval),
      h('label', { class: 'field' }, h('span', {}, 'Answered within (s)'), sla),
      h('label', { class: 'field' }, h('span', {}, 'Target (%)'), target),
      h('button', { type: 'submit', class: 'button small primary' }, 'Show'),
      status,
    ),
    h(
      'section',
      { class: 'card report-card', 'aria-labelledby': 'report-queues-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'report-queues-title', class: 'card-title' }, 'Queues'), targetNote, h('span', { class: 'topbar-spacer' }),
        h('button', { type: 'button', class: 'button small', onclick: () => void download('queues') }, 'Download CSV')),
      queuesBox,
    ),
    chart.element,
    h(
      'section',
      { class: 'card report-card', 'aria-labelledby': 'report-agents-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'report-agents-title', class: 'card-title' }, 'Agents'), h('span', { class: 'topbar-spacer' }),
        h('button', { type: 'button', class: 'button small', onclick: () => void download('agents') }, 'Download CSV')),
      agentsBox,
    ),
  );
  return { element, load };
}
