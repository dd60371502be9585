import { isHttpUrl } from '@shuttle-cti/protocol';
import type { BlockedPops } from './blocked-pops.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import type { FrameArea } from './frame-area.js';
import { createHistory, type HistoryView } from './history.js';
import type { Notifier } from './notifier.js';
import { createPerformedIds } from './performed-ids.js';
import { openWindow } from './pop.js';
import { createTabCoordinator, type TabCoordinator } from './tab-coordinator.js';
import type { AgentCommand, Outcome } from './tab-messages.js';

export interface AgentSession {
  readonly peer: string;
  history: HistoryView;
  coordinator: TabCoordinator;
  receive(command: AgentCommand): void;
  /** The agent clicked Open or Dismiss on a blocked pop. */
  resolve(id: string, outcome: Outcome): void;
  close(): void;
}

export interface AgentSessionDeps {
  peer: string;
  frames: FrameArea;
  blocked: BlockedPops;
  notifier: Notifier;
  onPrimaryChange: (primary: boolean) => void;
}

/**
 * Everything that depends on the peer the token is bound to: the tab election, the
 * remembered ids, the history, and how commands are carried out.
 */
export function createAgentSession(deps: AgentSessionDeps): AgentSession {
  const scope = `shuttle-cti:agent:${deps.peer}`;
  const history = createHistory(`${scope}:history`);
  const performed = createPerformedIds(`${scope}:performed`);
  const recent = new Map<string, AgentCommand>();

  const perform = (command: AgentCommand): Outcome => {
    if (command.kind === 'notification') return deps.notifier.show(command.delivery);
    const { id, url, mode } = command.delivery;
    // The hub validates URLs already; a page never opens anything but http(s) anyway.
    if (!isHttpUrl(url)) return 'refused';
    if (mode === 'new_frame') {
      deps.frames.open(id, url);
      return 'frame';
    }
    if (openWindow(url, mode, `shuttle-cti-${id}`)) return mode === 'new_tab' ? 'tab' : 'window';
    deps.blocked.add({ id, url, mode });
    return 'blocked';
  };

  // The callbacks below run later (lock grants and tab messages are asynchronous),
  // once `dispatcher` exists.
  const coordinator = createTabCoordinator({
    peer: deps.peer,
    onPrimaryChange: (primary) => {
      deps.onPrimaryChange(primary);
      if (primary) dispatcher.becamePrimary();
    },
    onMessage: (message) => dispatcher.onTabMessage(message),
  });
  const dispatcher: Dispatcher = createDispatcher({
    isPrimary: () => coordinator.isPrimary(),
    post: (message) => coordinator.post(message),
    performed,
    perform,
    list: (command) => {
      recent.set(command.delivery.id, command);
      if (recent.size > 200) recent.delete(recent.keys().next().value ?? '');
      history.add(command);
    },
    mark: (id, outcome) => history.mark(id, outcome),
    blockedElsewhere: (id) => {
      const command = recent.get(id);
      if (command?.kind === 'pop' && command.delivery.mode !== 'new_frame') {
        deps.blocked.add({ id, url: command.delivery.url, mode: command.delivery.mode });
      }
    },
    resolvedElsewhere: (id) => deps.blocked.remove(id),
  });
  deps.onPrimaryChange(coordinator.isPrimary());

  return {
    peer: deps.peer,
    history,
    coordinator,
    receive: (command) => dispatcher.receive(command, true),
    resolve(id, outcome) {
      history.mark(id, outcome);
      coordinator.post({ type: 'resolved', id, outcome });
    },
    close: () => coordinator.close(),
  };
}
