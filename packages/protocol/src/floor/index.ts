/**
 * The live state of the floor (calls waiting and talking, agent states, today's
 * counters), computed the same way by the hub and by the dashboard. Pure: no clock,
 * no I/O; every time is a hub time passed in (an event's `time`, or `now`).
 */
export { agentOf, applyAgentPresence, forgetAgent, presenceOf, setAgentSessions } from './agents.js';
export { applyCallEvent, type FloorChange } from './apply.js';
export { dayOf, parseSeconds, rollDay } from './day.js';
export { expireCalls, expireFloor, type FloorExpiry } from './expire.js';
export { applyAgentState, ownAgentState } from './queue-state.js';
export { boundedFloor, type BoundedFloor, type FloorFilter } from './snapshot.js';
export { createFloor, floorDefaults, floorFromSnapshot, type FloorLimits, type FloorRemovals, type FloorState, type QueueMembership } from './state.js';
