import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The newest `.cpuprofile` in `dir`, or undefined. */
export async function newestProfile(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.cpuprofile'));
  let best: { file: string; at: number } | undefined;
  for (const f of files) {
    const at = (await stat(join(dir, f))).mtimeMs;
    if (!best || at > best.at) best = { file: join(dir, f), at };
  }
  return best?.file;
}

/** Self time per function (top `n`), and per package, from a V8 CPU profile. */
export async function profileTop(file: string, n = 20): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const where = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '');
    const key = `${frame.functionName || '(anonymous)'}  ${where ? `${where}:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(where)?.[1] ?? (where.includes('/packages/') ? `shuttle-cti ${where.split('/packages/')[1]?.split('/')[0] ?? ''}` : frame.functionName || '(native)');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const pct = (us: number): string => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>, k: number): string[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key, us]) => `  ${pct(us)}  ${key}`);
  return [`CPU profile ${file} (${(total / 1e6).toFixed(1)} s sampled)`, 'self time by function:', ...top(byFunction, n), 'self time by package:', ...top(byPackage, 12)].join('\n');
}
