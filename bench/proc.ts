import { readFileSync } from 'node:fs';

/** CPU time and resident memory of a process, read from /proc (Linux). */
export interface ProcSample {
  at: number;
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
  rssKib: number;
}

// USER_HZ is 100 on every Linux the project targets (sysconf(_SC_CLK_TCK)).
const ticksPerSecond = 100;

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return { at: performance.now(), cpuSeconds: (utime + stime) / ticksPerSecond, rssKib: Number(rss?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, in percent of one core. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const wall = (to.at - from.at) / 1000;
  return wall > 0 ? Math.round(((to.cpuSeconds - from.cpuSeconds) / wall) * 1000) / 10 : 0;
}
