import { fileURLToPath } from 'node:url';
import { spawnServer, stopChild, type Target } from './child.js';
import { benchPeers } from './traffic.js';

const entry = fileURLToPath(new URL('./relay-server.ts', import.meta.url));

/** The bare relay in its own process; it checks no token, so the "tokens" are placeholders. */
export async function startRelay(options: { agents: number; integrations: number }): Promise<Target> {
  const { child, port, loopDelay } = await spawnServer(['--import', 'tsx', entry]);
  return {
    name: 'relay',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    tokens: {
      source: 'none',
      supervisor: 'none',
      integrations: Array.from({ length: options.integrations }, () => 'none'),
      agents: benchPeers(options.agents).map((peer) => ({ peer, token: 'none' })),
    },
    loopDelay,
    stop: () => stopChild(child),
  };
}
