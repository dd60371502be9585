import { describe, expect, it } from 'vitest';
import { dialCallerId } from '../../src/core/dial-caller-id.js';

describe('the caller ID of a CallDial that names none', () => {
  it('is the agent\'s name and its peer\'s resource, as the recorded Originates send it', () => {
    expect(dialCallerId('IAX2/1000', 'Andrea Bianco')).toBe('"Andrea Bianco" <1000>');
    expect(dialCallerId('IAX2/1001', 'Mario Rossi')).toBe('"Mario Rossi" <1001>');
    expect(dialCallerId('SIP/andrea.bianco', 'Andrea')).toBe('"Andrea" <andrea.bianco>');
  });

  it('is left out when the hub knows no name, or only the interface as a name', () => {
    expect(dialCallerId('IAX2/1000', undefined)).toBeUndefined();
    expect(dialCallerId('IAX2/1000', '  ')).toBeUndefined();
    expect(dialCallerId('IAX2/1000', 'IAX2/1000')).toBeUndefined();
  });

  it('cannot end the name early or carry a control character', () => {
    expect(dialCallerId('IAX2/1000', 'Eve" <666>\r\nAction: Hangup')).toBe('"Eve 666Action: Hangup" <1000>');
    expect(dialCallerId('IAX2/1000', 'x'.repeat(200))).toBeUndefined();
  });
});
