import {
  callEventNames,
  describeScope,
  expireFloor,
  type AgentPresence,
  type CallControlAck,
  type CallEvent,
  type RealtimeRow,
  type Scope,
} from '@shuttle-cti/protocol';
import '../common/base.css';
import './dashboard.css';
import { createHubClock } from '../common/clock.js';
import { openConnection } from '../common/connection.js';
import { readHubList } from '../common/hubs.js';
import { h, icon, icons, setText } from '../common/dom.js';
import { createFrameBatcher } from '../common/frame-batcher.js';
import { createSignIn } from '../common/sign-in.js';
import { createStatusBadge } from '../common/status-badge.js';
import { createTokenStore, takeTokenFromHash } from '../common/token.js';
import { createAgentsView, type AgentActions } from './agents-view.js';
import { createCallsView } from './calls-view.js';
import { createCounters } from './counters.js';
import { applyEvent, applyPresence, emptyState, fromSnapshot } from './live-state.js';
import { createMinuteChart } from './minute-chart.js';
import { createMinuteSeries, minuteOf } from './minute-series.js';
import { createHubApi } from './realtime-api.js';
import { createRealtimeView } from './realtime-view.js';
import { createReportsApi } from './reports-api.js';
import { mountReports } from './reports-mount.js';

type Update = { kind: 'call'; event: CallEvent } | { kind: 'agent'; presence: AgentPresence } | { kind: 'row'; row: RealtimeRow };

const root = document.getElementById('app') as HTMLElement;
const tokens = createTokenStore('shuttle-cti:supervisor-token');
/** Stored events read once to fill the chart's last hour. */
const backfillEvents = 3000;

function showSignIn(error?: string): void {
  const view = createSignIn({
    title: 'Supervisor dashboard',
    subtitle: 'Sign in to watch live calls, agents and the Integration Realtime feed.',
    tokenLabel: 'Supervisor token',
    onSubmit: (token, remember) => {
      tokens.save(token, remember);
      startDashboard(token);
    },
  });
  root.replaceChildren(view.element);
  document.title = 'Sign in · Shuttle CTI dashboard';
  if (error !== undefined) view.showError(error);
  view.focus();
}

function startDashboard(token: string): void {
  const clock = createHubClock();
  const hubs = readHubList();
  const api = createHubApi(token, () => hubs.current());
  const badge = createStatusBadge();
  const who = h('span', { class: 'who-name' });
  /** A scoped token (protocol 1.2): what the dashboard is limited to; its counters are that scope's own. */
  const scopeNote = h('span', { class: 'scope-note', 'data-scope': '', hidden: true });
  /** The outcome of the last call-control action, with the PBX's text when refused. */
  const outcome = h('span', { class: 'control-outcome', role: 'status', 'aria-live': 'polite' });
  const showOutcome = (ack: CallControlAck, ok: string): void => {
    outcome.dataset['result'] = ack.ok ? 'ok' : 'error';
    setText(outcome, ack.ok ? ok : `Refused: ${ack.error.message}`);
  };
  const counters = createCounters();
  const chart = createMinuteChart();
  const callsView = createCallsView(clock);
  let agentActions: AgentActions | undefined;
  const agentsView = createAgentsView(clock, () => agentActions);
  const realtime = createRealtimeView(api);
  const reports = mountReports(createReportsApi(token, () => hubs.current()));
  let state = emptyState();
  /** The token's scope (protocol 1.2), from the `welcome`; undefined when unscoped. */
  let scope: Scope | undefined;
  let series = createMinuteSeries(Date.now());

  const element = h(
    'div',
    { class: 'app dashboard-app' },
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, 'S'), 'Shuttle CTI', h('span', { class: 'brand-sub' }, 'Dashboard')),
      who,
      scopeNote,
      reports.toggle,
      outcome,
      h('div', { class: 'topbar-spacer' }),
      badge.element,
      h('button', { type: 'button', class: 'button ghost small', onclick: () => signOut() }, icon(icons.logout), 'Sign out'),
    ),
    h(
      'main',
      { class: 'dashboard-main', id: 'main' },
      h('div', { class: 'top-row' }, counters.element, chart.element),
      h('div', { class: 'live-row' }, callsView.queues, callsView.calls, agentsView.element),
      realtime.element,
    ),
    reports.element,
  );
  root.replaceChildren(element);
  document.title = 'Shuttle CTI dashboard';

  const renderChart = (): void => chart.render(series.window(minuteOf(clock.now()), 60), series.coveredFrom());
  const renderLive = (): void => {
    counters.render(state);
    callsView.render(state);
    agentsView.render(state);
    renderChart();
  };

  // Hundreds of events per second: applied and drawn once per animation frame.
  const batcher = createFrameBatcher<Update>((updates) => {
    const rows: RealtimeRow[] = [];
    let live = false;
    for (const update of updates) {
      switch (update.kind) {
        case 'call':
          series.add(update.event.time, applyEvent(state, update.event));
          live = true;
          break;
        case 'agent':
          applyPresence(state, update.presence, new Date(clock.now()).toISOString(), scope);
          live = true;
          break;
        case 'row':
          rows.push(update.row);
          break;
      }
    }
    if (live) renderLive();
    if (rows.length > 0) realtime.push(rows);
  });

  const socket = openConnection('/supervisor', token, (change) => {
    badge.set(change);
    if (change.state === 'signed-out') {
      stop();
      tokens.clear();
      showSignIn(change.detail);
    }
  }, hubs);

  socket.on('welcome', (welcome) => {
    setText(who, welcome.name);
    scope = welcome.scope;
    scopeNote.hidden = welcome.scope === undefined;
    setText(scopeNote, welcome.scope === undefined ? '' : `Scope: ${describeScope(welcome.scope)}`);
    scopeNote.title = welcome.scope === undefined ? '' : 'This token sees only these queues and peers: the calls, agents, counters and rows shown are theirs.';
    // Supervisors pause/unpause agents and hang up calls (protocol 1.2); the outcome is shown in the page's title bar area.
    agentActions = welcome.callControl === true
      ? {
          pause: (peer, paused) => socket.emit('AgentPause', { peer, paused }, (ack) => showOutcome(ack, paused ? `Paused ${peer}` : `Unpaused ${peer}`)),
          hangup: (uniqueid) => socket.emit('CallHangup', { uniqueid }, (ack) => showOutcome(ack, 'Call hung up')),
          queue: (peer, queue, member, name) =>
            socket.emit('AgentQueue', { peer, queue, member, ...(member && name !== undefined ? { name } : {}) }, (ack) =>
              showOutcome(ack, member ? `${peer} joined ${queue}` : `${peer} left ${queue}`),
            ),
        }
      : undefined;
  });
  socket.on('snapshot', (snapshot) => {
    // Each (re)connection starts from a fresh snapshot: what was pending from the
    // previous connection is already in it.
    batcher.flush();
    state = fromSnapshot(snapshot);
    series = createMinuteSeries(Date.now());
    realtime.load(snapshot.realtime);
    renderLive();
    const after = Math.max(0, snapshot.lastSeq - backfillEvents);
    const filling = series;
    api
      .eventsAfter(after, backfillEvents)
      .then((events) => {
        filling.backfill(events, snapshot.lastSeq, after === 0);
        renderChart();
      })
      .catch(() => undefined); // The chart then counts from now on; it says so.
  });
  const onCall = (event: CallEvent): void => {
    clock.observe(event.time);
    batcher.push({ kind: 'call', event });
  };
  for (const name of callEventNames) socket.on(name, onCall);
  socket.on('agent', (presence) => batcher.push({ kind: 'agent', presence }));
  socket.on('RealtimeCTI', (row) => {
    clock.observe(row.time);
    batcher.push({ kind: 'row', row });
  });

  const ticker = setInterval(() => {
    // The hub's schedule (calls that lost their end event, agents long offline, the
    // 00:00 UTC roll-over), by the hub's clock: the hub sends no event when it drops them.
    const day = state.stats.day;
    const expired = expireFloor(state, clock.now());
    if (expired.calls + expired.agents > 0 || state.stats.day !== day) renderLive();
    callsView.tick();
    agentsView.tick();
    renderChart();
  }, 1000);
  const stop = (): void => {
    clearInterval(ticker);
    socket.disconnect();
  };
  const signOut = (): void => {
    stop();
    tokens.clear();
    showSignIn();
  };
}

const hashToken = takeTokenFromHash();
if (hashToken !== null) tokens.save(hashToken, false);
const saved = tokens.read();
if (saved === null) showSignIn();
else startDashboard(saved);
