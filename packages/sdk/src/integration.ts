import type { CallEventMap } from '@shuttle-cti/protocol';
import type { CtiClient } from './types.js';

/**
 * An integration module's default export, as `shuttle-cti run` loads it: a function that
 * receives the connected client (it may return a clean-up function, called before a reload)...
 */
export type IntegrationSetup = (cti: CtiClient) => void | (() => void) | Promise<void | (() => void)>;

/** ...or handlers by event name, each receiving the event and the client. */
export type IntegrationHandlers = {
  [K in keyof CallEventMap]?: (event: CallEventMap[K], cti: CtiClient) => unknown;
};

export type Integration = IntegrationSetup | IntegrationHandlers;

/**
 * Types an integration for `shuttle-cti run` (it returns its argument unchanged).
 *
 * @example
 * import { defineIntegration } from '@shuttle-cti/sdk';
 *
 * export default defineIntegration({
 *   up: (call, cti) => cti.wakeup(`https://crm.example/search?phone=${call.callernum}`, call.peer, 'new_tab'),
 * });
 */
export function defineIntegration<T extends Integration>(integration: T): T {
  return integration;
}
