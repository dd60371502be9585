import type { WakeupMode } from '@shuttle-cti/protocol';

/**
 * Opens a URL in a new tab or a popup window. Returns false when the browser's pop-up
 * blocker refused (window.open returned null). `noopener` is not passed because with
 * it window.open always returns null and a block could not be told apart; the opener
 * link is cut right after instead, before the new page has loaded.
 */
export function openWindow(url: string, mode: Exclude<WakeupMode, 'new_frame'>, name: string): boolean {
  const opened = mode === 'new_window' ? window.open(url, name, popupFeatures()) : window.open(url, '_blank');
  if (opened === null) return false;
  try {
    opened.opener = null;
  } catch {
    // Already cross-origin: nothing to cut.
  }
  return true;
}

/** A popup of a sensible size (at most 1100×800, within the screen), centred on the panel. */
function popupFeatures(): string {
  const width = Math.min(1100, Math.max(480, screen.availWidth - 80));
  const height = Math.min(800, Math.max(400, screen.availHeight - 80));
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  return `popup,width=${width},height=${height},left=${left},top=${top}`;
}
