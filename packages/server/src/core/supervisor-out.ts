import { leftScopePresence, type AgentPresence, type RealtimeRow, type ScopeMatcher } from '@shuttle-cti/protocol';
import type { Server } from 'socket.io';
import type { ScopeIndex } from './scope-index.js';

/** The room of unscoped supervisors: they get every presence and every Integration Realtime row. */
export const supervisorsRoom = 'supervisors';
const queueRoom = (queue: string): string => `scope:q:${queue}`;
const peerRoom = (peer: string): string => `scope:p:${peer}`;

/** The rooms a scoped supervisor joins: one per queue and one per peer of its scope. */
export function scopeRooms(scope: ScopeMatcher): string[] {
  return [...[...scope.queues].map(queueRoom), ...[...scope.peers].map(peerRoom)];
}

/** Something that can join and leave rooms (a socket.io socket). */
interface RoomMember {
  join(rooms: string | string[]): unknown;
  leave(room: string): unknown;
}

/**
 * What supervisors get beside the numbered events: agent presences and Integration
 * Realtime rows. Unscoped supervisors sit in one room, as before; a scoped one sits in a
 * room per queue and per peer of its scope, and a message goes to the union of the
 * rooms it concerns (socket.io sends it once per socket, encoded once). While no scoped
 * supervisor is connected here, a presence goes to the one room exactly as before.
 */
export interface SupervisorOut {
  /** This hub's clients only (each hub tells its own supervisors). */
  agent(presence: AgentPresence): void;
  /** Every hub's clients (through the adapter). */
  realtime(row: RealtimeRow): void;
  join(socket: RoomMember, scope: ScopeMatcher | null): void;
  leave(socket: RoomMember, scope: ScopeMatcher | null): void;
}

export function createSupervisorOut(io: Server, index: ScopeIndex): SupervisorOut {
  let scoped = 0;
  const nsp = io.of('/supervisor');
  // An agent that left a queue is out of the scopes that had it by that queue only: their
  // supervisors get a last presence for it, offline with none of their queues, and the
  // dashboard drops it (docs/PROTOCOL.md, "Scopes"). Those that still see it (by another
  // of their queues, or naming its peer) get its real presences as before.
  index.onLeave((peer, queue) => {
    if (scoped === 0) return;
    const still = [supervisorsRoom, peerRoom(peer)];
    const queues = index.queuesOf(peer);
    if (queues) for (const q of queues) still.push(queueRoom(q));
    nsp.local.to(queueRoom(queue)).except(still).emit('agent', leftScopePresence(peer));
  });
  return {
    agent(presence) {
      if (scoped === 0) {
        nsp.local.to(supervisorsRoom).emit('agent', presence);
        return;
      }
      const rooms = [supervisorsRoom, peerRoom(presence.peer)];
      const queues = index.queuesOf(presence.peer);
      if (queues) for (const q of queues) rooms.push(queueRoom(q));
      nsp.local.to(rooms).emit('agent', presence);
    },
    realtime(row) {
      const rooms = [supervisorsRoom];
      const { queue, peer } = row.channel;
      if (typeof queue === 'string') rooms.push(queueRoom(queue));
      if (typeof peer === 'string') rooms.push(peerRoom(peer));
      nsp.to(rooms).emit('RealtimeCTI', row);
    },
    join(socket, scope) {
      if (scope === null) {
        void socket.join(supervisorsRoom);
        return;
      }
      scoped += 1;
      void socket.join(scopeRooms(scope));
    },
    leave(socket, scope) {
      if (scope === null) {
        void socket.leave(supervisorsRoom);
        return;
      }
      scoped -= 1;
      for (const room of scopeRooms(scope)) void socket.leave(room);
    },
  };
}
