import { h } from '../common/dom.js';
import type { ReportsApi } from './reports-api.js';
import { createReportsView } from './reports-view.js';

/**
 * The Reports view beside the live one: a Live/Reports switch for the top bar and the
 * view's own main area. The live view keeps running underneath; the reports load when
 * first shown and again on each change of their controls.
 */
export function mountReports(api: ReportsApi): { toggle: HTMLElement; element: HTMLElement } {
  const view = createReportsView(api);
  const element = h('main', { class: 'reports-main', id: 'reports-main', hidden: true }, view.element);
  let loaded = false;
  const show = (reports: boolean): void => {
    const app = element.closest('.dashboard-app');
    if (app instanceof HTMLElement) app.dataset['view'] = reports ? 'reports' : 'live';
    element.hidden = !reports;
    live.setAttribute('aria-pressed', String(!reports));
    report.setAttribute('aria-pressed', String(reports));
    if (reports && !loaded) {
      loaded = true;
      view.load();
    }
  };
  const live = h('button', { type: 'button', class: 'view-switch', 'aria-pressed': 'true', onclick: () => show(false) }, 'Live');
  const report = h('button', { type: 'button', class: 'view-switch', 'aria-pressed': 'false', onclick: () => show(true) }, 'Reports');
  const toggle = h('div', { class: 'view-switches', role: 'group', 'aria-label': 'View' }, live, report);
  return { toggle, element };
}
