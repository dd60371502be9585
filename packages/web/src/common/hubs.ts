/**
 * The hubs a page may talk to. The page hands its token to whichever hub it connects to,
 * so the address alone must never name one: by default only the hub that served the page
 * is used; other hubs only when that hub lists them (configuration `web.hubs`, served in
 * the page as `<meta name="shuttle-cti-hubs">`). With such a list the page fails over
 * along it by itself; `?hubs=` may reorder or narrow it, and any origin in it that the
 * hub does not list is ignored.
 */
export interface HubList {
  /** Base URL of the hub in use ('' for the page's own origin). */
  current(): string;
  /** Moves to the next hub and returns it. */
  next(): string;
  readonly size: number;
}

export const hubsMetaName = 'shuttle-cti-hubs';

/** The origin of an http(s) base URL without path, query or fragment; undefined otherwise. */
function originOf(text: string): string | undefined {
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(text)) return undefined;
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

/** The other hubs the serving hub allows, from its `<meta name="shuttle-cti-hubs">`. */
export function servedHubs(doc: Document = document): string[] {
  const content = doc.querySelector<HTMLMetaElement>(`meta[name="${hubsMetaName}"]`)?.content ?? '';
  return content
    .split(',')
    .map((s) => originOf(s.trim()))
    .filter((s): s is string => s !== undefined);
}

export function readHubList(search: string = location.search, served: readonly string[] = servedHubs(), own: string = location.origin): HubList {
  const allowed = new Set(served);
  const asked = (new URLSearchParams(search).get('hubs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const listed: string[] = [];
  for (const entry of asked) {
    const origin = originOf(entry);
    // '' stands for the page's own origin (same-origin requests, no CORS).
    const hub = origin === own ? '' : origin !== undefined && allowed.has(origin) ? origin : undefined;
    if (hub === undefined) console.warn(`[shuttle-cti] ignoring hub ${JSON.stringify(entry)}: this hub does not list it (configuration web.hubs)`);
    else if (!listed.includes(hub)) listed.push(hub);
  }
  const hubs = listed.length > 0 ? listed : ['', ...served.filter((s) => s !== own)];
  let index = 0;
  return {
    current: () => hubs[index] ?? '',
    next() {
      index = (index + 1) % hubs.length;
      return hubs[index] ?? '';
    },
    size: hubs.length,
  };
}
