/**
 * The hubs a page may talk to. By default only the one that served it; with several hub
 * processes and no load balancer in front, list them in the address:
 * `/agent?hubs=https://hub-a:8888,https://hub-b:8888`. Only http(s) origins are taken.
 */
export interface HubList {
  /** Base URL of the hub in use ('' for the page's own origin). */
  current(): string;
  /** Moves to the next hub and returns it. */
  next(): string;
  readonly size: number;
}

export function readHubList(search: string = location.search): HubList {
  const listed = (new URLSearchParams(search).get('hubs') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^https?:\/\/[^/?#]+\/?$/i.test(s))
    .map((s) => s.replace(/\/$/, ''));
  const hubs = listed.length > 0 ? listed : [''];
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
