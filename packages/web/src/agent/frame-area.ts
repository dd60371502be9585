import { h, icon, icons, replaceChildren } from '../common/dom.js';
import { formatTime, hostOf } from '../common/format.js';
import './frame-area.css';

export interface FrameArea {
  element: HTMLElement;
  open(id: string, url: string): void;
}

export interface FrameAreaOptions {
  /** Opens a URL in a new tab (from a click, so no pop-up blocker). */
  openInTab: (url: string) => void;
  /** How long a page may take to load before the panel suggests it refuses to be framed. */
  loadTimeoutMs: number;
  maxFrames?: number;
}

interface FrameTab {
  id: string;
  url: string;
  tab: HTMLElement;
  panel: HTMLElement;
}

const sandboxed = 'allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals allow-downloads';

/**
 * A page of the panel's own origin framed with both `allow-scripts` and
 * `allow-same-origin` could script the panel itself (read its token, send acks): such a
 * page gets an opaque origin instead. Other sites keep theirs (their cookies, their storage).
 */
export function sandboxFor(url: string, own: string = location.origin): string {
  let origin: string;
  try {
    origin = new URL(url, own).origin;
  } catch {
    return sandboxed;
  }
  return origin === own ? sandboxed : `${sandboxed} allow-same-origin`;
}

/**
 * `new_frame` pops: pages shown inside the panel, one tab each. Browsers never tell a
 * page that a cross-origin frame was refused (X-Frame-Options, CSP frame-ancestors):
 * the frame fires `load` on an error page just the same. So the heuristic is
 *  - no `load` within `loadTimeoutMs` → a notice offers "Open in new tab";
 *  - a same-origin page that loaded blank → the same notice;
 *  - every frame's toolbar always has "Open in new tab", with a hint that a blank
 *    page most likely refuses to be shown inside another site.
 * The frames are sandboxed without `allow-top-navigation`, so a page that tries to
 * break out of its frame cannot navigate the panel away.
 */
export function createFrameArea(options: FrameAreaOptions): FrameArea {
  const maxFrames = options.maxFrames ?? 8;
  const frames: FrameTab[] = [];
  const tablist = h('div', { class: 'frame-tabs', role: 'tablist', 'aria-label': 'Pages opened in the panel' });
  const panels = h('div', { class: 'frame-panels' });
  const empty = h(
    'div',
    { class: 'frame-empty' },
    icon(icons.frame),
    h('p', {}, 'Pages opened in the panel appear here.'),
    h('p', { class: 'muted' }, 'Pages sent to a new tab or window open outside the panel and are listed on the left.'),
  );
  const element = h('section', { class: 'card frame-area', 'aria-label': 'Panel pages' }, tablist, panels, empty);

  const select = (id: string, focus = false): void => {
    for (const frame of frames) {
      const selected = frame.id === id;
      frame.tab.setAttribute('aria-selected', String(selected));
      frame.tab.tabIndex = selected ? 0 : -1;
      frame.panel.hidden = !selected;
      if (selected && focus) frame.tab.focus();
    }
  };

  const close = (id: string, focusNext: boolean): void => {
    const index = frames.findIndex((f) => f.id === id);
    const frame = frames[index];
    if (frame === undefined) return;
    frames.splice(index, 1);
    frame.tab.parentElement?.remove();
    frame.panel.remove();
    const next = frames[Math.min(index, frames.length - 1)];
    if (next !== undefined) select(next.id, focusNext);
    empty.hidden = frames.length > 0;
    tablist.hidden = frames.length === 0;
  };

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Delete closes one.
  tablist.addEventListener('keydown', (event) => {
    const index = frames.findIndex((f) => f.tab === document.activeElement);
    if (index < 0) return;
    const move = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (move !== 0) {
      const next = frames[(index + move + frames.length) % frames.length];
      if (next !== undefined) select(next.id, true);
      event.preventDefault();
    } else if (event.key === 'Delete') {
      close(frames[index]?.id ?? '', true);
      event.preventDefault();
    }
  });

  tablist.hidden = true;
  return {
    element,
    open(id, url) {
      if (frames.some((f) => f.id === id)) return;
      const tabId = `frame-tab-${frames.length}-${Date.now()}`;
      const panelId = `${tabId}-panel`;
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: tabId, class: 'frame-tab', 'aria-controls': panelId, title: url, onclick: () => select(id) },
        h('span', { class: 'frame-tab-host' }, hostOf(url)),
        h('span', { class: 'frame-tab-time' }, formatTime(Date.now())),
      );
      const closeButton = h('button', { type: 'button', class: 'icon-button frame-close', 'aria-label': `Close ${hostOf(url)}`, onclick: () => close(id, true) }, icon(icons.close));
      const notice = h('div', { class: 'frame-notice', role: 'status' });
      const iframe = h('iframe', {
        src: url,
        title: `Page from ${hostOf(url)}`,
        sandbox: sandboxFor(url),
        referrerpolicy: 'strict-origin-when-cross-origin',
      });
      const openTab = (): void => options.openInTab(url);
      const panel = h(
        'div',
        { role: 'tabpanel', id: panelId, class: 'frame-panel', 'aria-labelledby': tabId, 'data-id': id, 'data-state': 'loading' },
        h(
          'div',
          { class: 'frame-toolbar' },
          h('span', { class: 'frame-url', title: url }, url),
          h('span', { class: 'frame-hint muted' }, 'Blank? Some sites refuse to be shown inside other pages.'),
          h('button', { type: 'button', class: 'button small', onclick: openTab }, icon(icons.external), 'Open in new tab'),
        ),
        notice,
        iframe,
      );
      const suspectRefused = (why: string): void => {
        panel.dataset['state'] = 'refused';
        replaceChildren(
          notice,
          h('span', {}, why),
          h('button', { type: 'button', class: 'button primary small', onclick: openTab }, icon(icons.external), 'Open in new tab'),
        );
      };
      const timer = setTimeout(() => suspectRefused('This page is not loading. It may refuse to be shown inside the panel.'), options.loadTimeoutMs);
      iframe.addEventListener('load', () => {
        clearTimeout(timer);
        panel.dataset['state'] = 'loaded';
        replaceChildren(notice);
        try {
          const body = iframe.contentDocument?.body;
          if (body !== undefined && body !== null && body.childElementCount === 0 && (body.textContent ?? '').trim() === '') {
            suspectRefused('This page is blank. It may refuse to be shown inside the panel.');
          }
        } catch {
          // Cross-origin: the browser does not let us look (see the heuristic above).
        }
      });

      while (frames.length >= maxFrames) close(frames[0]?.id ?? '', false);
      frames.push({ id, url, tab, panel });
      tablist.appendChild(h('div', { class: 'frame-tab-wrap' }, tab, closeButton));
      panels.appendChild(panel);
      empty.hidden = true;
      tablist.hidden = false;
      select(id);
    },
  };
}
