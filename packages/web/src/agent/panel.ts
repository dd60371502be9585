import { h, icon, icons, setText } from '../common/dom.js';
import { createStatusBadge, type StatusBadge } from '../common/status-badge.js';

export interface PanelShell {
  element: HTMLElement;
  badge: StatusBadge;
  setIdentity(name: string, peer: string): void;
  setTabRole(primary: boolean): void;
  showNotificationButton(show: boolean): void;
  mount(parts: { card: HTMLElement; frames: HTMLElement; overlays: HTMLElement[] }): void;
  /** The history is per peer, so it arrives with the hub's welcome. */
  setHistory(history: HTMLElement): void;
}

/** The agent panel's frame: header (who, connection, actions) and the two columns. */
export function createPanelShell(actions: { signOut: () => void; enableNotifications: () => void }): PanelShell {
  const badge = createStatusBadge();
  const name = h('span', { class: 'who-name' }, 'Agent');
  const peer = h('span', { class: 'who-peer' });
  const role = h('span', { class: 'tab-role', hidden: true });
  const notifyButton = h('button', { type: 'button', class: 'button ghost small', hidden: true, onclick: actions.enableNotifications }, icon(icons.bell), h('span', { class: 'button-label' }, 'Enable desktop notifications'));
  const side = h('div', { class: 'agent-side' });
  let card: HTMLElement = h('div');
  let historySlot: HTMLElement = h('section', { class: 'card history' }, h('h2', { class: 'card-title' }, 'Recent pops and notifications'));
  const mainArea = h('main', { class: 'agent-main', id: 'main' }, side);
  const element = h(
    'div',
    { class: 'app agent-app' },
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, 'S'), 'Shuttle CTI', h('span', { class: 'brand-sub' }, 'Agent')),
      h('div', { class: 'who', 'aria-label': 'Signed in as' }, name, peer),
      role,
      h('div', { class: 'topbar-spacer' }),
      notifyButton,
      badge.element,
      h('button', { type: 'button', class: 'button ghost small', onclick: actions.signOut }, icon(icons.logout), h('span', { class: 'button-label' }, 'Sign out')),
    ),
    mainArea,
  );
  return {
    element,
    badge,
    setIdentity(agentName, agentPeer) {
      setText(name, agentName);
      setText(peer, agentPeer);
      document.title = `${agentName} · Shuttle CTI agent`;
    },
    setTabRole(primary) {
      role.hidden = false;
      role.dataset['primary'] = String(primary);
      setText(role, primary ? 'This tab opens pages' : 'Standby: another tab opens pages');
      role.title = primary
        ? 'Pages and notifications sent to you are opened by this tab.'
        : 'The panel is open in another tab of this browser; that tab opens pages. This one lists them.';
    },
    showNotificationButton(show) {
      notifyButton.hidden = !show;
    },
    mount(parts) {
      card = parts.card;
      side.replaceChildren(card, historySlot);
      mainArea.appendChild(parts.frames);
      element.append(...parts.overlays);
    },
    setHistory(history) {
      historySlot = history;
      side.replaceChildren(card, historySlot);
    },
  };
}
