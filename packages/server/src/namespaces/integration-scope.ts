import { CtiError, ErrorCode, realtimeRowInScope } from '@shuttle-cti/protocol';
import type { ScopeMatcher } from '@shuttle-cti/protocol';
import type { ScopeIndex } from '../core/scope-index.js';

/** The scope checks of an integration's own commands; each throws, or returns when allowed. */
export interface IntegrationScopeCheck {
  /** AgentCTI, AgentCTINotification: a peer the scope names or a member of one of its queues. */
  peer(peer: string): void;
  /** RealtimeCTI: a row whose channel.queue or channel.peer is in the scope (else supervisors of the scope could not see it). */
  row(channel: Record<string, unknown>): void;
  /** CustomVariables: a call of the scope; one the hub does not know is NOT_FOUND. */
  call(uniqueid: string): void;
}

const forbidden = (message: string, field: string): CtiError => new CtiError(ErrorCode.FORBIDDEN, message, { field });

/** Reads the session's scope at each command, so a changed scope applies at once. Unscoped sessions pass at the first test. */
export function checkIntegrationScope(scopes: ScopeIndex, data: { readonly scope: ScopeMatcher | null }): IntegrationScopeCheck {
  return {
    peer(peer) {
      const scope = data.scope;
      if (scope === null || scopes.peerInScope(scope, peer)) return;
      throw forbidden(`peer ${peer} is outside this token's scope (neither one of its peers nor a member of its queues)`, 'peer');
    },
    row(channel) {
      const scope = data.scope;
      if (scope === null || realtimeRowInScope(scope, { channel })) return;
      throw forbidden("this token is scoped: the row's channel.queue or channel.peer must be in its scope", 'channel');
    },
    call(uniqueid) {
      const scope = data.scope;
      if (scope === null) return;
      const inScope = scopes.callInScope(scope, uniqueid);
      if (inScope === undefined) throw new CtiError(ErrorCode.NOT_FOUND, `no call with uniqueid ${uniqueid} in this token's scope`, { field: 'uniqueid' });
      if (!inScope) throw forbidden(`call ${uniqueid} is outside this token's scope`, 'uniqueid');
    },
  };
}
