import { escapePeer, type AgentState, type LiveAgent } from '@shuttle-cti/protocol';
import { h, replaceChildren } from '../common/dom.js';
import { formatDuration } from '../common/format.js';
import type { HubClock } from '../common/clock.js';
import { createVirtualList } from '../common/virtual-list.js';
import type { LiveState } from './live-state.js';
import './live-lists.css';
import './agent-controls.css';

export interface AgentsView {
  element: HTMLElement;
  render(state: LiveState): void;
  tick(): void;
}

const stateOrder: Record<AgentState, number> = { 'on-call': 0, ringing: 1, idle: 2, offline: 3 };
const stateLabels: Record<AgentState, string> = { 'on-call': 'On a call', ringing: 'Ringing', idle: 'Idle', offline: 'Signed out' };

/** What a supervisor can do to an agent from the list (protocol 1.2); absent when the hub cannot control calls. */
export interface AgentActions {
  pause(peer: string, paused: boolean): void;
  hangup(uniqueid: string): void;
  /** Makes the agent join (`member`) or leave a queue (`AgentQueue`). */
  queue(peer: string, queue: string, member: boolean, name?: string): void;
}

/** Agents: signed in or not, on a call or idle, for how long, paused (why, how long), their queues. Windowed, with a quick filter. */
export function createAgentsView(clock: HubClock, actions?: () => AgentActions | undefined): AgentsView {
  const count = h('span', { class: 'card-count' });
  let latest: LiveState | undefined;
  const search = h('input', { type: 'search', class: 'search small', placeholder: 'Filter agents', 'aria-label': 'Filter agents by name or peer' });
  const list = createVirtualList<LiveAgent>({
    rowHeight: 44,
    label: 'Agents',
    empty: 'No agents yet.',
    renderRow: (agent, row) => {
      row.className = `vrow agent-row agent-${agent.state}`;
      replaceChildren(
        row,
        h('span', { role: 'cell', class: 'agent-dot', title: stateLabels[agent.state] }),
        h('span', { role: 'cell', class: 'agent-who' }, h('strong', { class: 'ellipsis' }, agent.name ?? escapePeer(agent.peer)), h('span', { class: 'muted mono ellipsis' }, escapePeer(agent.peer))),
        h(
          'span',
          { role: 'cell', class: 'agent-state' },
          h('span', {}, stateLabels[agent.state]),
          h('span', { class: 'muted' }, agent.sessions > 0 ? `panel open${agent.sessions > 1 ? ` ×${agent.sessions}` : ''}` : 'no panel'),
        ),
        h('span', { role: 'cell', class: 'timer-cell mono' }, formatDuration((clock.now() - Date.parse(agent.since)) / 1000)),
        h(
          'span',
          { role: 'cell', class: 'agent-pause', 'data-paused': String(agent.paused === true) },
          agent.paused === true
            ? `Paused${agent.reason ? ` (${agent.reason})` : ''} ${agent.pausedSince ? formatDuration(Math.max(0, (clock.now() - Date.parse(agent.pausedSince)) / 1000)) : ''}`
            : '',
          h('span', { class: 'muted ellipsis agent-queues' }, (agent.queues ?? []).join(', ')),
        ),
        controlsOf(agent),
      );
    },
  });
  function controlsOf(agent: LiveAgent): HTMLElement | null {
    const act = actions?.();
    if (!act) return null;
    const who = agent.name ?? agent.peer;
    return h(
      'span',
      { role: 'cell', class: 'agent-actions' },
      agent.queues !== undefined && agent.queues.length > 0
        ? h(
            'button',
            { type: 'button', class: 'button ghost small', 'aria-label': `${agent.paused === true ? 'Unpause' : 'Pause'} ${who}`, onclick: () => act.pause(agent.peer, agent.paused !== true) },
            agent.paused === true ? 'Unpause' : 'Pause',
          )
        : null,
      agent.state === 'on-call' && agent.uniqueid !== undefined
        ? h('button', { type: 'button', class: 'button ghost small', 'aria-label': `Hang up ${who}'s call`, onclick: () => act.hangup(agent.uniqueid ?? '') }, 'Hang up')
        : null,
    );
  }

  /**
   * Queue membership (AgentQueue): one form above the list, as the rows are redrawn every
   * second. Enter in the queue field joins, or leaves a queue the agent is already in.
   */
  const peerField = h('input', { type: 'text', id: 'queue-peer', class: 'search small', placeholder: 'Agent peer', autocomplete: 'off', list: 'queue-peers', 'aria-label': 'Agent peer to join or leave a queue' });
  const peers = h('datalist', { id: 'queue-peers' });
  const queueField = h('input', { type: 'text', id: 'queue-name', class: 'search small', placeholder: 'Queue', autocomplete: 'off', 'aria-label': 'Queue to join or leave' });
  const membership = (member: boolean): void => {
    const act = actions?.();
    const peer = peerField.value.trim();
    const queue = queueField.value.trim();
    if (!act) return;
    if (peer === '') return peerField.focus();
    if (queue === '') return queueField.focus();
    act.queue(peer, queue, member, latest?.agents.get(peer)?.name);
  };
  queueField.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    membership(!(latest?.agents.get(peerField.value.trim())?.queues ?? []).includes(queueField.value.trim()));
  });
  const queueForm = h(
    'div',
    { class: 'agent-queue-form', role: 'group', 'aria-label': 'Queue membership', hidden: true },
    peerField,
    peers,
    queueField,
    h('button', { type: 'button', class: 'button ghost small', onclick: () => membership(true) }, 'Join queue'),
    h('button', { type: 'button', class: 'button ghost small', onclick: () => membership(false) }, 'Leave queue'),
  );

  const element = h(
    'section',
    { class: 'card agents-card', 'aria-labelledby': 'agents-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'agents-title', class: 'card-title' }, 'Agents'), count, search),
    queueForm,
    list.element,
  );
  const render = (state: LiveState): void => {
    latest = state;
    const needle = search.value.trim().toLowerCase();
    const agents = [...state.agents.values()].filter(
      (a) => needle === '' || a.peer.toLowerCase().includes(needle) || (a.name ?? '').toLowerCase().includes(needle),
    );
    agents.sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || (a.name ?? a.peer).localeCompare(b.name ?? b.peer));
    const signedIn = agents.filter((a) => a.sessions > 0).length;
    count.textContent = `${signedIn}/${agents.length}`;
    count.title = `${signedIn} signed in of ${agents.length}`;
    list.setItems(agents);
    queueForm.hidden = actions?.() === undefined;
    const known = [...state.agents.keys()].sort();
    if (peers.childElementCount !== known.length) replaceChildren(peers, ...known.map((p) => h('option', { value: p })));
  };
  search.addEventListener('input', () => {
    if (latest !== undefined) render(latest);
  });
  return { element, render, tick: () => list.refresh() };
}
