/**
 * Where a page keeps its token. The tab's sessionStorage by default (survives a reload,
 * gone with the tab); localStorage only when the user ticks "remember me". A token
 * given as `#token=` (kiosk set-ups) is taken out of the address bar at once, so it is
 * not left in the history or in a bookmark.
 */
export interface TokenStore {
  read(): string | null;
  save(token: string, remember: boolean): void;
  clear(): void;
}

export function createTokenStore(key: string): TokenStore {
  return {
    read() {
      return safe(() => sessionStorage.getItem(key) ?? localStorage.getItem(key)) ?? null;
    },
    save(token, remember) {
      safe(() => sessionStorage.setItem(key, token));
      if (remember) safe(() => localStorage.setItem(key, token));
      else safe(() => localStorage.removeItem(key));
    },
    clear() {
      safe(() => sessionStorage.removeItem(key));
      safe(() => localStorage.removeItem(key));
    },
  };
}

/** Reads `#token=...` and removes it from the URL. */
export function takeTokenFromHash(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest === '' ? '' : `#${rest}`}`);
  return token.trim() === '' ? null : token.trim();
}

/** Storage can throw (disabled cookies, private modes, quota); the pages then just forget. */
export function safe<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
