import type { AgentCtiDelivery, AgentNotificationDelivery } from '@shuttle-cti/protocol';

/** A command as one tab of the panel hands it to the others. */
export type AgentCommand =
  | { kind: 'pop'; delivery: AgentCtiDelivery }
  | { kind: 'notification'; delivery: AgentNotificationDelivery };

/** What happened to a command. */
export type Outcome =
  | 'tab'
  | 'window'
  | 'frame'
  | 'blocked'
  | 'opened-by-hand'
  | 'dismissed'
  | 'desktop'
  | 'toast'
  | 'refused'
  | 'expired';

/** Messages between the tabs of one agent's panel (BroadcastChannel). */
export type TabMessage =
  | { type: 'command'; command: AgentCommand }
  | { type: 'performed'; id: string; outcome: Outcome }
  | { type: 'resolved'; id: string; outcome: Outcome };
