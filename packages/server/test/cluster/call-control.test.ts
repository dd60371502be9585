import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadActionTranscript, startActionAmiServer, type ActionAmiServer } from '../../../sources/test/ami/action-ami-server.js';
import { collect, connectClient } from '../helpers.js';
import { createClusterEnv, describeCluster, metric, type ClusterEnv } from './cluster-env.js';
import { until } from './failover-client.js';
import type { HubProcess } from './hub-process.js';

type Ack = { ok: boolean; id?: string; uniqueid?: string; error?: { code: string; message: string } };

describeCluster('call control with several hubs', () => {
  let env: ClusterEnv;
  let pbx: ActionAmiServer;
  let withPbx: HubProcess;
  let without: HubProcess;

  beforeAll(async () => {
    env = await createClusterEnv();
    pbx = await startActionAmiServer({ lines: loadActionTranscript('c5-pause-with-reason') });
    [withPbx, without] = await Promise.all([
      env.startHub('hub-pbx', undefined, ['--ami', `asterisk://cti:ctisecret@127.0.0.1:${pbx.port}`]),
      env.startHub('hub-plain'),
    ]);
    for (const hub of [withPbx, without]) {
      await until(async () => (await metric(hub.url, 'shuttle_cti_cluster_hubs')) === 2, `${hub.name} to see both hubs`);
    }
  }, 120_000);

  afterAll(async () => {
    await env?.cleanup();
    await pbx?.close();
  }, 60_000);

  it('a command reaching the hub without the PBX source is carried out by the one with it, and the ack comes back', async () => {
    const integration = await connectClient(without.url, '/', { token: env.tokens.integration });
    const states = collect<{ queue: string; paused: boolean; reason?: string }>(integration, ['agentstate']);
    try {
      const ack = (await integration.timeout(20_000).emitWithAck('AgentPause', { peer: 'IAX2/1000', paused: true, reason: 'Lunch' })) as Ack;
      expect(ack).toMatchObject({ ok: true });
      await until(() => states.filter((s) => s.paused).length >= 2, 'agentstate through the other hub');
      expect(states.filter((s) => s.paused).map((s) => [s.queue, s.reason])).toEqual([
        ['Support', 'Lunch'],
        ['Sales', 'Lunch'],
      ]);
      // An agent's command is checked where it arrives: another peer is FORBIDDEN, and not relayed.
      const agent = await connectClient(without.url, '/agent', { token: await env.tokens.agent('IAX2/1000') });
      const refused = (await agent.timeout(20_000).emitWithAck('AgentPause', { peer: 'IAX2/1001', paused: true })) as Ack;
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      agent.close();
      // Over HTTP to the hub without the source too; the PBX's answers keep coming back.
      const res = await fetch(`${without.url}/api/v1/agents/${encodeURIComponent('IAX2/1000')}/pause`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.tokens.integration}`, 'content-type': 'application/json' },
        body: JSON.stringify({ paused: false }),
      });
      expect(res.status).toBe(200);
      expect(pbx.actions.filter((a) => a['Action'] === 'QueuePause').map((a) => [a['Interface'], a['Paused']])).toEqual([
        ['IAX2/1000', 'true'],
        ['IAX2/1000', 'false'],
      ]);
      expect(pbx.mismatches).toEqual([]);
    } finally {
      integration.close();
    }
  });
});
