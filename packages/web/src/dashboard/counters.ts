import { h, setText } from '../common/dom.js';
import { formatDuration } from '../common/format.js';
import type { LiveState } from './live-state.js';
import './counters.css';

export interface Counters {
  element: HTMLElement;
  render(state: LiveState): void;
}

interface Tile {
  value: HTMLElement;
  note: HTMLElement;
}

/** Today's counters and what is happening now, as a row of tiles. */
export function createCounters(): Counters {
  const tiles = new Map<string, Tile>();
  const tile = (key: string, label: string, tone = ''): HTMLElement => {
    const value = h('div', { class: 'kpi-value', 'data-kpi': key }, '0');
    const note = h('div', { class: 'kpi-note muted' });
    tiles.set(key, { value, note });
    return h('div', { class: `kpi ${tone}`, role: 'group', 'aria-label': label }, h('div', { class: 'kpi-label' }, label), value, note);
  };
  const element = h(
    'section',
    { class: 'kpis', 'aria-label': "Today's counters" },
    tile('calls', 'Calls today'),
    tile('answered', 'Answered', 'tone-ok'),
    tile('abandoned', 'Abandoned', 'tone-bad'),
    tile('hold', 'Average hold'),
    tile('waiting', 'Waiting now', 'tone-warn'),
    tile('talking', 'Talking now', 'tone-ok'),
    tile('agents', 'Agents online'),
  );
  const set = (key: string, value: string, note = ''): void => {
    const t = tiles.get(key);
    if (t === undefined) return;
    setText(t.value, value);
    setText(t.note, note);
  };
  return {
    element,
    render(state) {
      const { stats } = state;
      let waiting = 0;
      let talking = 0;
      for (const call of state.calls.values()) {
        if (call.state === 'waiting') waiting += 1;
        else if (call.state === 'talking') talking += 1;
      }
      let signedIn = 0;
      let onCall = 0;
      for (const agent of state.agents.values()) {
        if (agent.sessions > 0) signedIn += 1;
        if (agent.state === 'on-call') onCall += 1;
      }
      const pct = (n: number): string => (stats.calls === 0 ? '' : `${Math.round((n / stats.calls) * 100)}% of calls`);
      set('calls', String(stats.calls), stats.outbound > 0 ? `+ ${stats.outbound} outbound` : '');
      set('answered', String(stats.answered), pct(stats.answered));
      set('abandoned', String(stats.abandoned), pct(stats.abandoned));
      set('hold', formatDuration(stats.avgHoldSeconds), 'before answer');
      set('waiting', String(waiting), 'in queue');
      set('talking', String(talking), 'with an agent');
      set('agents', String(signedIn), `${onCall} on a call`);
    },
  };
}
