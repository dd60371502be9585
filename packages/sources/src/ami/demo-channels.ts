import { formatAmiMessage, type AmiActionFields } from './parser.js';

/** A channel of the demo PBX, as Asterisk would describe it in its events. */
export interface DemoChannel {
  name: string;
  uniqueid: string;
  linkedid: string;
  state: 0 | 4 | 5 | 6;
  callerNum: string;
  callerName: string;
  connectedNum: string;
  connectedName: string;
  context: string;
  exten: string;
  priority: number;
  vars: Map<string, string>;
  /** The dialplan application running on it (`Queue`, `AppQueue`, `Dial`). */
  application: string;
  appData: string;
  bridgeId: string;
  createdAt: number;
}

const stateDesc = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up' } as const;
const unknown = (value: string): string => (value === '' ? '<unknown>' : value);

/** Names and numbers of the demo PBX's channels and calls, Asterisk-style. */
export function createChannelFactory(epoch: number, channelVars: readonly string[]) {
  let serial = 0;
  let sequence = 0;
  return {
    channelVars,
    create(device: string, init: Partial<DemoChannel> & { linkedid?: string }): DemoChannel {
      const uniqueid = `${epoch}.${serial++}`;
      const suffix = (sequence++ & 0xffffffff).toString(16).padStart(8, '0');
      return {
        name: `${device}-${suffix}`,
        uniqueid,
        linkedid: init.linkedid ?? uniqueid,
        state: 0,
        callerNum: '',
        callerName: '',
        connectedNum: '',
        connectedName: '',
        context: 'default',
        exten: 's',
        priority: 1,
        vars: new Map(),
        application: '',
        appData: '',
        bridgeId: '',
        createdAt: Date.now(),
        ...init,
      };
    },
    bridgeId(): string {
      const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`;
    },
  };
}
export type ChannelFactory = ReturnType<typeof createChannelFactory>;

/** The channel block of an event (`Channel`, `Uniqueid`, ...; `Dest`-prefixed for the other side). */
export function channelFields(ch: DemoChannel, channelVars: readonly string[], prefix = ''): AmiActionFields {
  return {
    [`${prefix}Channel`]: ch.name,
    [`${prefix}ChannelState`]: String(ch.state),
    [`${prefix}ChannelStateDesc`]: stateDesc[ch.state],
    [`${prefix}CallerIDNum`]: unknown(ch.callerNum),
    [`${prefix}CallerIDName`]: unknown(ch.callerName),
    [`${prefix}ConnectedLineNum`]: unknown(ch.connectedNum),
    [`${prefix}ConnectedLineName`]: unknown(ch.connectedName),
    [`${prefix}Language`]: 'en',
    [`${prefix}AccountCode`]: '',
    [`${prefix}Context`]: ch.context,
    [`${prefix}Exten`]: ch.exten,
    [`${prefix}Priority`]: String(ch.priority),
    [`${prefix}Uniqueid`]: ch.uniqueid,
    [`${prefix}Linkedid`]: ch.linkedid,
    [`${prefix}ChanVariable`]: channelVars.map((name) => `${name}=${ch.vars.get(name) ?? ''}`),
  };
}

/** One AMI event as text. */
export function amiEvent(name: string, privilege: string, ...parts: AmiActionFields[]): string {
  return formatAmiMessage(Object.assign({ Event: name, Privilege: `${privilege},all` }, ...parts) as AmiActionFields);
}
