/** The demo contact centre the simulator plays: queues, their members, and callers. */
export interface SimAgent {
  peer: string;
  name: string;
  num: string;
}

export interface SimQueue {
  name: string;
  extension: string;
  /** ringall rings every idle member at once; linear one at a time. */
  strategy: 'ringall' | 'linear';
  members: string[];
  /** Custom variables the IVR sets before Queue(). */
  ivrVariables: boolean;
}

export const demoAgents: SimAgent[] = [
  { peer: 'SIP/andrea.bianco', name: 'Andrea Bianco', num: '1000' },
  { peer: 'SIP/mario.rossi', name: 'Mario Rossi', num: '1001' },
  { peer: 'SIP/giulia.verdi', name: 'Giulia Verdi', num: '1002' },
  { peer: 'SIP/luca.neri', name: 'Luca Neri', num: '1003' },
  { peer: 'SIP/sara.rosa', name: 'Sara Rosa', num: '1004' },
  { peer: 'SIP/paolo.blu', name: 'Paolo Blu', num: '1005' },
];

export const demoQueues: SimQueue[] = [
  { name: 'Sales', extension: '6001', strategy: 'linear', members: ['SIP/mario.rossi', 'SIP/andrea.bianco', 'SIP/sara.rosa'], ivrVariables: true },
  { name: 'Support', extension: '6000', strategy: 'ringall', members: ['SIP/andrea.bianco', 'SIP/luca.neri', 'SIP/giulia.verdi'], ivrVariables: false },
  { name: 'Billing', extension: '6003', strategy: 'linear', members: ['SIP/paolo.blu', 'SIP/giulia.verdi'], ivrVariables: true },
];

export const callerNames = ['Carla Gialli', 'Marco Neri', 'Elena Russo', 'Giorgio Ferri', 'Anna Costa', 'Davide Greco', 'Laura Conti', ''];
