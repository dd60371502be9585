import { describe, expect, it } from 'vitest';
import type { PresenceTable } from '../../src/cluster/messages.js';
import { createPresence, type Presence } from '../../src/cluster/presence.js';

/** Several presence tables wired to each other as Redis would, with a switch to lose messages. */
function createMesh(ids: string[], expireAfterMs = 1000) {
  let clock = 0;
  let connected = true;
  const changed: string[] = [];
  const nodes = new Map<string, Presence>();
  const deliver = (from: string, act: (node: Presence) => void): void => {
    if (!connected) return;
    for (const [id, node] of nodes) if (id !== from) act(node);
  };
  for (const id of ids) {
    nodes.set(
      id,
      createPresence({
        hub: id,
        expireAfterMs,
        now: () => clock,
        changed: (peer) => changed.push(`${id}:${peer}`),
        send: {
          delta: (version, peer, count) => deliver(id, (n) => n.onDelta(id, version, peer, count)),
          heartbeat: (version) => deliver(id, (n) => n.onHeartbeat(id, version)),
          request: (to) => deliver(id, (n) => n.onRequest(to)),
          table: (table: PresenceTable) => deliver(id, (n) => n.onTable(table)),
        },
      }),
    );
  }
  const node = (id: string): Presence => nodes.get(id) as Presence;
  return {
    node,
    changed,
    advance: (ms: number) => (clock += ms),
    setConnected: (up: boolean) => (connected = up),
    tickAll: () => {
      for (const n of nodes.values()) n.tick(connected);
    },
  };
}

describe('presence across hubs', () => {
  it('counts the sessions of a peer on the other hubs, learnt from heartbeats and deltas', () => {
    const mesh = createMesh(['a', 'b', 'c']);
    mesh.tickAll(); // everyone meets everyone
    mesh.node('a').setLocal('SIP/x', 2);
    mesh.node('b').setLocal('SIP/x', 1);
    expect(mesh.node('c').remote('SIP/x')).toBe(3);
    expect(mesh.node('a').remote('SIP/x')).toBe(1);
    mesh.node('a').setLocal('SIP/x', 0);
    expect(mesh.node('c').remote('SIP/x')).toBe(1);
    expect(mesh.node('c').hubs()).toBe(3);
  });

  it('catches up on the whole table after missing deltas (Redis away)', () => {
    const mesh = createMesh(['a', 'b']);
    mesh.tickAll();
    mesh.node('a').setLocal('SIP/x', 1);
    mesh.setConnected(false);
    mesh.node('a').setLocal('SIP/y', 1); // lost
    mesh.node('a').setLocal('SIP/x', 0); // lost
    mesh.setConnected(true);
    mesh.node('a').linkRestored(); // its heartbeat shows a newer version: b asks for the table
    expect(mesh.node('b').remote('SIP/x')).toBe(0);
    expect(mesh.node('b').remote('SIP/y')).toBe(1);
  });

  it('forgets a hub that stopped talking (killed), and one that said goodbye', () => {
    const mesh = createMesh(['a', 'b', 'c'], 1000);
    mesh.tickAll();
    mesh.node('a').setLocal('SIP/x', 1);
    mesh.node('c').setLocal('SIP/x', 1);
    expect(mesh.node('b').remote('SIP/x')).toBe(2);
    // a goes silent; b and c keep ticking.
    for (let i = 0; i < 4; i++) {
      mesh.advance(400);
      mesh.node('b').tick(true);
      mesh.node('c').tick(true);
    }
    expect(mesh.node('b').remote('SIP/x')).toBe(1);
    expect(mesh.changed).toContain('b:SIP/x');
    mesh.node('b').onBye('c');
    expect(mesh.node('b').remote('SIP/x')).toBe(0);
    expect(mesh.node('b').hubs()).toBe(1);
  });

  it('does not forget hubs for the time Redis itself was away', () => {
    const mesh = createMesh(['a', 'b'], 1000);
    mesh.tickAll();
    mesh.node('a').setLocal('SIP/x', 1);
    mesh.setConnected(false);
    mesh.advance(10_000);
    mesh.tickAll(); // link down: no expiry
    mesh.setConnected(true);
    mesh.node('b').linkRestored();
    mesh.node('b').tick(true);
    expect(mesh.node('b').remote('SIP/x')).toBe(1);
  });
});
