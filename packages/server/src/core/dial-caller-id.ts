import { CallControlLimits } from '@shuttle-cti/protocol';

/**
 * The caller ID a `CallDial` gets when the command names none: `"<agent name>" <<resource>>`
 * (`"Andrea Bianco" <1000>` for IAX2/1000), as the recorded click-to-dial sends it. Asterisk
 * gives an originated channel no caller ID of its own (its first `Newchannel` reads
 * `<unknown>`), so without one the agent's phone, the called party and the call's `outbound`
 * event (whose `agentname`/`callernum` come from it) would show nothing. Undefined when the
 * hub does not know the agent's name yet: nothing is invented.
 */
export function dialCallerId(peer: string, name: string | undefined): string | undefined {
  // Quotes and angle brackets would end the name or start the number early.
  const clean = name?.replace(/["<>\u0000-\u001f\u007f]/g, '').trim();
  // A name that is only the interface (a member without a MemberName) says nothing.
  if (clean === undefined || clean === '' || clean === peer) return undefined;
  const resource = peer.slice(peer.indexOf('/') + 1);
  const callerid = `"${clean}" <${resource}>`;
  return callerid.length <= CallControlLimits.calleridLength ? callerid : undefined;
}
