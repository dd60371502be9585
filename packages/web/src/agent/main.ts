import { callControlAck, callEventNames, type CallControlAck, type CallEvent } from '@shuttle-cti/protocol';
import '../common/base.css';
import { h } from '../common/dom.js';
import './agent.css';
import { createHubClock } from '../common/clock.js';
import { openConnection } from '../common/connection.js';
import { readHubList } from '../common/hubs.js';
import { createSignIn } from '../common/sign-in.js';
import { createTokenStore, takeTokenFromHash } from '../common/token.js';
import { createBlockedPops } from './blocked-pops.js';
import { createCallCard } from './call-card.js';
import { createCallControls, type SendCommand } from './call-controls.js';
import { createFrameArea } from './frame-area.js';
import { createNotifier } from './notifier.js';
import { createPanelShell } from './panel.js';
import { openWindow } from './pop.js';
import { createAgentSession, type AgentSession } from './session.js';
import type { AgentCommand } from './tab-messages.js';
import { createToasts } from './toasts.js';

const root = document.getElementById('app') as HTMLElement;
const tokens = createTokenStore('shuttle-cti:agent-token');
const params = new URLSearchParams(location.search);
/** How long a framed page may take to load before the panel suspects it refuses framing. */
const frameTimeoutMs = Number(params.get('frameTimeoutMs') ?? '') || 10_000;

function showSignIn(error?: string): void {
  const view = createSignIn({
    title: 'Agent panel',
    subtitle: 'Sign in to receive screen pops and notifications for your phone.',
    tokenLabel: 'Agent token',
    onSubmit: (token, remember) => {
      tokens.save(token, remember);
      startPanel(token);
    },
  });
  root.replaceChildren(view.element);
  document.title = 'Sign in · Shuttle CTI agent';
  if (error !== undefined) view.showError(error);
  view.focus();
}

function startPanel(token: string): void {
  const clock = createHubClock();
  const card = createCallCard();
  const toasts = createToasts();
  const notifier = createNotifier(toasts);
  const openInTab = (url: string): void => {
    openWindow(url, 'new_tab', '_blank');
  };
  const frames = createFrameArea({ openInTab, loadTimeoutMs: frameTimeoutMs });
  let session: AgentSession | undefined;
  // The hub's welcome comes first, but never drop a command if it did not.
  const early: AgentCommand[] = [];
  const receive = (command: AgentCommand): void => {
    if (session === undefined) early.push(command);
    else session.receive(command);
  };
  const blocked = createBlockedPops({
    hintKey: 'shuttle-cti:agent:popup-hint-seen',
    open: (pop) => {
      openWindow(pop.url, pop.mode, `shuttle-cti-${pop.id}`);
      session?.resolve(pop.id, 'opened-by-hand');
    },
    dismiss: (pop) => session?.resolve(pop.id, 'dismissed'),
  });
  const shell = createPanelShell({
    signOut: () => {
      stop();
      tokens.clear();
      showSignIn();
    },
    enableNotifications: () => {
      notifier
        .requestPermission()
        .then((permission) => shell.showNotificationButton(permission === 'default'))
        .catch(() => undefined);
    },
  });
  // Call control (protocol 1.2): below the call card; the socket exists by the time anything is sent.
  const answer = (ack: Promise<unknown>): Promise<CallControlAck> =>
    ack.then((result) => {
      const parsed = callControlAck.safeParse(result);
      return parsed.success ? parsed.data : { ok: false, error: { code: 'INTERNAL', message: 'unexpected answer from the hub' } };
    });
  // The payload's values are the agent's input as typed; the hub validates them and answers with its error.
  // One case per command: socket.io's typed emit cannot tie a union of names to their payloads (TypeScript#30581).
  const sendControl: SendCommand = (command) => {
    switch (command.name) {
      case 'CallDial':
        return answer(socket.emitWithAck('CallDial', command.payload));
      case 'CallHangup':
        return answer(socket.emitWithAck('CallHangup', command.payload));
      case 'CallTransfer':
        return answer(socket.emitWithAck('CallTransfer', command.payload));
      case 'AgentPause':
        return answer(socket.emitWithAck('AgentPause', command.payload));
    }
  };
  const controls = createCallControls(sendControl);
  const cardStack = h('div', { class: 'card-stack' }, card.element, controls.element);
  shell.mount({ card: cardStack, frames: frames.element, overlays: [blocked.element, toasts.element] });
  shell.showNotificationButton(notifier.permission() === 'default');
  // tel: links in the page prefill the dial box instead of leaving it.
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="tel:"]');
    if (!link) return;
    event.preventDefault();
    controls.prefill(decodeURIComponent(link.getAttribute('href')?.slice(4) ?? ''));
  });
  root.replaceChildren(shell.element);
  document.title = 'Shuttle CTI agent';

  const socket = openConnection('/agent', token, (change) => {
    shell.badge.set(change);
    if (change.state === 'signed-out') {
      stop();
      tokens.clear();
      showSignIn(change.detail);
    }
  }, readHubList());

  socket.on('welcome', (welcome) => {
    const peer = welcome.peer ?? welcome.name;
    shell.setIdentity(welcome.name, peer);
    const own = welcome.agent;
    controls.configure(peer, {
      enabled: welcome.callControl === true,
      pauseReasons: welcome.pauseReasons ?? [],
      state: own,
      pausedSinceMs: own?.pausedSince === undefined ? undefined : clock.toLocal(own.pausedSince),
    });
    if (session?.peer === peer) return;
    session?.close();
    session = createAgentSession({ peer, frames, blocked, notifier, onPrimaryChange: (primary) => shell.setTabRole(primary) });
    shell.setHistory(session.history.element);
    for (const command of early.splice(0)) session.receive(command);
  });
  socket.on('AgentCTI', (delivery) => {
    // Acknowledged on receipt: from here on this browser owns the command.
    socket.emit('ack', { id: delivery.id });
    clock.observe(delivery.time);
    receive({ kind: 'pop', delivery });
  });
  socket.on('AgentCTINotification', (delivery) => {
    socket.emit('ack', { id: delivery.id });
    clock.observe(delivery.time);
    receive({ kind: 'notification', delivery });
  });
  const onCallEvent = (event: CallEvent): void => {
    clock.observe(event.time);
    card.apply(event, clock.toLocal(event.time));
    controls.call(event);
  };
  socket.on('agentstate', (event) => controls.agentState(event));
  for (const name of callEventNames) socket.on(name, onCallEvent);

  const ticker = setInterval(() => {
    card.tick(Date.now());
    controls.tick(Date.now());
  }, 1000);
  const stop = (): void => {
    clearInterval(ticker);
    socket.disconnect();
    session?.close();
    session = undefined;
  };
}

const hashToken = takeTokenFromHash();
if (hashToken !== null) tokens.save(hashToken, false);
const saved = tokens.read();
if (saved === null) showSignIn();
else startPanel(saved);
