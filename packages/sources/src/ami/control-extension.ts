import type { AgentStateInput, CallEventInput } from '@shuttle-cti/protocol';
import type { CallEventSink, SourceLogger } from '../sink.js';
import { createAgentStateMapper } from './agent-state.js';
import { createAmiCallControl, type AmiCallControl } from './call-control.js';
import { createChannelIndex } from './channel-index.js';
import type { AmiClient } from './client.js';
import type { AmiMessage } from './parser.js';

/**
 * What call control adds to the Asterisk source, kept beside it: the channel index and
 * the actions, the queue-member events turned into `agentstate`, and the `hangup` of a
 * call this hub transferred (blind, or attended and completed), whose reason becomes `transfer`.
 */
export function createControlExtension(deps: {
  client: Pick<AmiClient, 'action'>;
  options: { dialContext?: string; transferContext?: string; sink: Partial<Pick<CallEventSink, 'agentState'>> };
  logger: SourceLogger;
}): {
  control: AmiCallControl;
  observe(message: AmiMessage, schedule: (send: () => Promise<void>) => void): void;
  rewrite(event: CallEventInput): CallEventInput;
} {
  const index = createChannelIndex();
  const control = createAmiCallControl({
    client: deps.client,
    index,
    ...(deps.options.dialContext === undefined ? {} : { dialContext: deps.options.dialContext }),
    ...(deps.options.transferContext === undefined ? {} : { transferContext: deps.options.transferContext }),
  });
  const mapper = createAgentStateMapper();
  const agentState = deps.options.sink.agentState?.bind(deps.options.sink);
  return {
    control,
    observe(message, schedule) {
      control.handle(message);
      const states: AgentStateInput[] = mapper.handle(message);
      if (agentState) for (const state of states) schedule(() => agentState(state));
      // After the mappers: a Hangup must not remove the channel before the call tracker saw it.
      index.handle(message);
    },
    rewrite(event) {
      if (event.event !== 'hangup') return event;
      const moved = control.wasTransferred(event.uniqueid);
      control.forgetTransfer(event.uniqueid);
      return moved ? { ...event, reason: 'transfer' } : event;
    },
  };
}
