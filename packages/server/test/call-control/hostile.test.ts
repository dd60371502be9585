import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from '../helpers.js';
import { hubWithPbx, post, send } from './helpers.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const marker = 'EVILMARK';
const crlf = [`1\r\nAction: Logoff\r\nX-${marker}: 1`, `a\n${marker}`, `a\r${marker}`, `${marker}\u0000`, `${marker}\u001b[2J`];
const other = [`${marker}`.repeat(200), 42, null, { nested: marker }, [marker], true];

const valid = {
  CallDial: { peer: 'IAX2/1000', number: '0298765432', callerid: 'A <1>', variables: { ordernumber: 'x' }, timeout: 10 },
  CallHangup: { uniqueid: '1796236965.2' },
  CallTransfer: { uniqueid: '1796236965.2', to: '7000', mode: 'blind' },
  AgentPause: { peer: 'IAX2/1000', paused: true, reason: 'Lunch', queue: 'Sales' },
  AgentQueue: { peer: 'IAX2/1000', queue: 'Sales', member: true, name: 'Andrea', penalty: 0 },
} as const;

/** Every field of every command with every hostile value, and hostile variable names and values. */
function hostileCommands(): Array<{ name: keyof typeof valid; payload: Record<string, unknown>; field: string }> {
  const out: Array<{ name: keyof typeof valid; payload: Record<string, unknown>; field: string }> = [];
  for (const [name, base] of Object.entries(valid) as Array<[keyof typeof valid, Record<string, unknown>]>) {
    for (const field of Object.keys(base)) {
      if (field === 'variables') continue;
      for (const value of [...crlf, ...other]) {
        if (typeof base[field] === typeof value && typeof value !== 'string') continue;
        out.push({ name, payload: { ...base, [field]: value }, field });
      }
    }
  }
  for (const value of crlf) {
    out.push({ name: 'CallDial', payload: { ...valid.CallDial, variables: { ordernumber: value } }, field: 'variables.ordernumber' });
    out.push({ name: 'CallDial', payload: { ...valid.CallDial, variables: { [value]: 'x' } }, field: `variables.${value}` });
  }
  out.push({ name: 'CallDial', payload: { ...valid.CallDial, variables: { ordernumber: `x,${marker}=1` } }, field: 'variables.ordernumber' });
  return out;
}

describe('hostile values never reach the PBX', () => {
  it('every field of every command, with CR/LF and other hostile values: INVALID_PAYLOAD naming the field, not a byte to the PBX', async () => {
    const env = await hubWithPbx('c7-errors');
    cleanup.push(() => env.close());
    const { hub, pbx } = env;
    const integration = await connectClient(hub.url, '/', { token: hub.tokens.integration });
    cleanup.push(async () => void integration.close());
    const cases = hostileCommands();
    expect(cases.length).toBeGreaterThan(150);
    for (const { name, payload, field } of cases) {
      const ack = await send(integration, name, payload);
      expect(ack, `${name}.${field} = ${JSON.stringify(payload[field.split('.')[0] ?? ''])}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      if (!ack.ok) expect(ack.error.field, `${name} ${JSON.stringify(payload)}`).toBe(field);
    }
    // The same over HTTP, path parameters included.
    for (const value of crlf) {
      const enc = encodeURIComponent(value);
      expect((await post(hub, `/api/v1/calls/${enc}/hangup`, hub.tokens.integration, {})).body).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', field: 'uniqueid' } });
      expect((await post(hub, `/api/v1/agents/${enc}/pause`, hub.tokens.integration, { paused: true })).body).toMatchObject({ ok: false, error: { field: 'peer' } });
      expect((await post(hub, '/api/v1/calls', hub.tokens.integration, { ...valid.CallDial, number: value })).body).toMatchObject({ ok: false, error: { field: 'number' } });
      expect((await post(hub, `/api/v1/agents/${encodeURIComponent('IAX2/1000')}/queues`, hub.tokens.integration, { queue: value, member: true })).body).toMatchObject({ ok: false, error: { field: 'queue' } });
    }
    // The connection survived all of it.
    expect(integration.connected).toBe(true);
    expect(pbx.received()).not.toContain(marker);
    expect(pbx.actions.map((a) => a['Action']).filter((a) => a !== 'QueueStatus' && a !== 'CoreShowChannels')).toEqual([]);
  });
});
