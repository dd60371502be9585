// Pins the hub's side of the contract: every emit and every ack is checked against the
// protocol's event maps, so a wrong payload does not compile (this file is part of typecheck).
import type { AgentCtiDelivery, AgentPresence, CommandAck, Snapshot } from '@shuttle-cti/protocol';
import { agentCtiCommand, customVariablesRequest } from '@shuttle-cti/protocol';
import { describe, expectTypeOf, test } from 'vitest';
import { onCommand, type CommandDeps } from '../src/namespaces/commands.js';
import { agentsOf, supervisorsOf, type AgentSocket, type HubServer, type IntegrationSocket, type SupervisorSocket } from '../src/namespaces/typed.js';

declare const io: HubServer;
declare const ctx: CommandDeps;
declare const integration: IntegrationSocket;
declare const agent: AgentSocket;
declare const supervisor: SupervisorSocket;
declare const presence: AgentPresence;
declare const delivery: AgentCtiDelivery;
declare const snapshot: Snapshot;

describe('namespaces emit only what their map holds', () => {
  test('supervisors', () => {
    supervisorsOf(io).to('supervisors').emit('agent', presence);
    supervisor.emit('snapshot', snapshot);
    // @ts-expect-error a presence needs its peer as a string
    supervisorsOf(io).emit('agent', { ...presence, peer: 1 });
    // @ts-expect-error dashboards are not sent agent commands
    supervisor.emit('AgentCTI', delivery);
    // @ts-expect-error the snapshot's stats are required
    supervisor.emit('snapshot', { calls: [], agents: [], realtime: [], lastSeq: 0 });
  });

  test('agents', () => {
    agentsOf(io).to('peer:SIP/a').emit('AgentCTI', delivery);
    // @ts-expect-error a delivery carries the time the hub accepted it
    agent.emit('AgentCTI', { id: 'x', url: 'https://crm.example', peer: 'SIP/a', mode: 'new_tab' });
    // @ts-expect-error an unknown mode
    agent.emit('AgentCTI', { ...delivery, mode: 'popup' });
    // @ts-expect-error agents get no snapshot
    agent.emit('snapshot', snapshot);
  });

  test('the session data is typed', () => {
    expectTypeOf(integration.data.peer).toEqualTypeOf<string | null>();
    expectTypeOf(agent.data.role).toEqualTypeOf<'integration' | 'agent' | 'supervisor' | 'source' | 'admin'>();
  });

  test('error codes are the table', () => {
    integration.emit('cti_error', { code: 'FORBIDDEN', message: 'no', command: 'AgentCTI' });
    // @ts-expect-error not a code of the table
    integration.emit('cti_error', { code: 'NOPE', message: 'no', command: 'AgentCTI' });
  });
});

describe('acks are checked against the command', () => {
  test('a handler must answer the command ack', () => {
    const ok: CommandAck = { ok: true, id: 'x', delivered: 1, queued: 0 };
    onCommand(integration, ctx, 'AgentCTI', agentCtiCommand, () => true, async () => ok);
    // @ts-expect-error AgentCTI answers a CommandAck, not the variables
    onCommand(integration, ctx, 'AgentCTI', agentCtiCommand, () => true, async () => ({ ok: true as const, variables: {} }));
    // @ts-expect-error CustomVariables answers the variables, not a CommandAck
    onCommand(integration, ctx, 'CustomVariables', customVariablesRequest, () => true, async () => ok);
    // @ts-expect-error integrations send no `ack`
    onCommand(integration, ctx, 'ack', customVariablesRequest, () => true, async () => ok);
  });
});
