import type { WakeupMode } from '@shuttle-cti/protocol';
import { h, icon, icons, replaceChildren } from '../common/dom.js';
import { hostOf } from '../common/format.js';
import { safe } from '../common/token.js';
import './blocked-pops.css';

export interface BlockedPop {
  id: string;
  url: string;
  mode: Exclude<WakeupMode, 'new_frame'>;
}

export interface BlockedPops {
  element: HTMLElement;
  add(pop: BlockedPop): void;
  /** Another tab opened or dismissed it. */
  remove(id: string): void;
}

export interface BlockedPopsOptions {
  /** Called from the click on "Open": the browser allows window.open then. */
  open: (pop: BlockedPop) => void;
  dismiss: (pop: BlockedPop) => void;
  hintKey: string;
}

const maxShown = 3;

/**
 * When the pop-up blocker stopped a pop: a prominent bar (overlaid, so nothing moves)
 * with a one-click "Open" for each blocked page, and, the first time only, how to allow
 * pop-ups for this site so it does not happen again.
 */
export function createBlockedPops(options: BlockedPopsOptions): BlockedPops {
  let pops: BlockedPop[] = [];
  const element = h('div', { class: 'blocked-pops', role: 'region', 'aria-label': 'Blocked pop-ups', hidden: true });

  const hintSeen = (): boolean => safe(() => localStorage.getItem(options.hintKey)) === '1';
  const markHintSeen = (): void => {
    safe(() => localStorage.setItem(options.hintKey, '1'));
  };

  const remove = (id: string): void => {
    pops = pops.filter((p) => p.id !== id);
    render();
  };

  const render = (): void => {
    element.hidden = pops.length === 0;
    if (pops.length === 0) {
      replaceChildren(element);
      return;
    }
    const shown = pops.slice(0, maxShown);
    const hint = hintSeen()
      ? null
      : h(
          'div',
          { class: 'blocked-hint' },
          h(
            'p',
            {},
            `To let pages open by themselves next time, allow pop-ups for ${location.host}: click the blocked pop-up icon at the right end of the address bar and choose “Always allow pop-ups”. `,
          ),
          h('button', { type: 'button', class: 'button small', onclick: () => (markHintSeen(), render()) }, 'Got it'),
        );
    replaceChildren(
      element,
      h('div', { class: 'blocked-head', role: 'alert' }, icon(icons.alert), h('strong', {}, pops.length === 1 ? 'Your browser blocked a page from opening' : `Your browser blocked ${pops.length} pages from opening`)),
      ...shown.map((pop) =>
        h(
          'div',
          { class: 'blocked-item', 'data-id': pop.id },
          h('div', { class: 'blocked-url' }, h('strong', {}, hostOf(pop.url)), h('span', { title: pop.url }, pop.url)),
          h(
            'button',
            {
              type: 'button',
              class: 'button primary',
              'data-action': 'open',
              onclick: () => {
                options.open(pop);
                markHintSeen();
                remove(pop.id);
              },
            },
            icon(icons.external),
            'Open',
          ),
          h('button', { type: 'button', class: 'button ghost', 'aria-label': `Dismiss ${pop.url}`, onclick: () => (options.dismiss(pop), remove(pop.id)) }, 'Dismiss'),
        ),
      ),
      pops.length > maxShown ? h('p', { class: 'muted' }, `and ${pops.length - maxShown} more`) : null,
      hint,
    );
  };

  return {
    element,
    add(pop) {
      if (pops.some((p) => p.id === pop.id)) return;
      pops = [pop, ...pops];
      render();
    },
    remove,
  };
}
