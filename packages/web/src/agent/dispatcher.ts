import type { PerformedIds } from './performed-ids.js';
import type { AgentCommand, Outcome, TabMessage } from './tab-messages.js';

export interface Dispatcher {
  /** A command from this tab's socket (`fromSocket`) or from another tab. */
  receive(command: AgentCommand, fromSocket: boolean): void;
  /** A message from another tab. */
  onTabMessage(message: TabMessage): void;
  /** This tab just became primary: carry out what is pending. */
  becamePrimary(): void;
}

export interface DispatcherDeps {
  isPrimary: () => boolean;
  post: (message: TabMessage) => void;
  performed: PerformedIds;
  /** Carries the command out (opens, frames, notifies). */
  perform: (command: AgentCommand) => Outcome;
  /** Lists it (every tab). */
  list: (command: AgentCommand) => void;
  /** Updates the listed outcome (every tab). */
  mark: (id: string, outcome: Outcome) => void;
  /** Another tab found the pop blocked: show the fallback here too. */
  blockedElsewhere: (id: string) => void;
  resolvedElsewhere: (id: string, outcome: Outcome) => void;
  now?: () => number;
}

/** A pop that waited this long for a primary tab is stale: listed, not opened. */
const staleMs = 60_000;

/**
 * Never twice, never lost. Every tab gets each command from its own connection; each
 * tab forwards what it got to the others, so the primary sees every command even when
 * its own connection is down. Only the primary carries a command out, once per id
 * (ids are remembered in localStorage, across reloads), then tells the others how it
 * went. Commands that arrive while no tab is primary (during a hand-over) wait in
 * `pending` and are carried out by the next primary.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const now = deps.now ?? Date.now;
  const pending = new Map<string, { command: AgentCommand; at: number }>();

  const performPending = (): void => {
    if (!deps.isPrimary()) return;
    for (const [id, { command, at }] of pending) {
      pending.delete(id);
      if (deps.performed.has(id)) continue;
      deps.performed.add(id);
      const outcome: Outcome = command.kind === 'pop' && now() - at > staleMs ? 'expired' : deps.perform(command);
      deps.mark(id, outcome);
      deps.post({ type: 'performed', id, outcome });
    }
  };

  const prune = (): void => {
    const oldest = now() - 5 * staleMs;
    for (const [id, { at }] of pending) if (at < oldest) pending.delete(id);
  };

  const receive = (command: AgentCommand, fromSocket: boolean): void => {
    const id = command.delivery.id;
    deps.list(command);
    if (fromSocket) deps.post({ type: 'command', command });
    if (deps.performed.has(id) || pending.has(id)) return;
    prune();
    pending.set(id, { command, at: now() });
    performPending();
  };

  return {
    receive,
    onTabMessage(message) {
      switch (message.type) {
        case 'command':
          receive(message.command, false);
          break;
        case 'performed':
          pending.delete(message.id);
          deps.mark(message.id, message.outcome);
          if (message.outcome === 'blocked') deps.blockedElsewhere(message.id);
          break;
        case 'resolved':
          deps.mark(message.id, message.outcome);
          deps.resolvedElsewhere(message.id, message.outcome);
          break;
      }
    },
    becamePrimary: performPending,
  };
}
