/** What every fault test prints and asserts on. */
export interface DeliveryCounts {
  /** Acknowledged by the hub (HTTP 202 with a seq, or an ok command ack). */
  sent: number;
  /** Distinct acknowledged items that arrived. */
  received: number;
  lost: number;
  /** Arrivals of an item already received. */
  duplicated: number;
  /** Arrivals whose seq is lower than the one before (numbers only; ids have no order). */
  outOfOrder: number;
  /** Items that arrived without having been acknowledged (e.g. stored just before a crash). */
  extra: number;
}

/** Compares what was acknowledged with what one receiver got, in arrival order. */
export function countDeliveries<T extends string | number>(acknowledged: Iterable<T>, arrivals: readonly T[]): DeliveryCounts {
  const sent = new Set(acknowledged);
  const seen = new Set<T>();
  let duplicated = 0;
  let outOfOrder = 0;
  let previous: T | undefined;
  for (const item of arrivals) {
    if (seen.has(item)) duplicated++;
    seen.add(item);
    if (typeof item === 'number' && typeof previous === 'number' && item < previous) outOfOrder++;
    previous = item;
  }
  let received = 0;
  for (const item of sent) if (seen.has(item)) received++;
  let extra = 0;
  for (const item of seen) if (!sent.has(item)) extra++;
  return { sent: sent.size, received, lost: sent.size - received, duplicated, outOfOrder, extra };
}

export function printCounts(what: string, counts: object): void {
  console.log(`${what}: ${Object.entries(counts).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
}

/** The value of a Prometheus counter or gauge (summed over label sets matching `labels`). */
export async function metricValue(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

