import type { RecordedEvent } from './events-source.js';
import type { RunnerLog } from './log.js';
import { createOfflineClient, type SentCommand } from './offline-client.js';
import type { PreparedIntegration } from './prepared.js';
import { createRunner } from './runner.js';

export interface ReplayOptions {
  log: RunnerLog;
  /** Receives one line per command. */
  print: (line: string) => void;
  json: boolean;
  timeoutMs: number;
}

export interface ReplaySummary {
  events: number;
  commands: number;
  /** Commands refused by validation, handlers that failed or timed out. */
  refused: number;
  failed: number;
  timedOut: number;
}

/** `AgentCTI {"url":...}`; with --json, one JSON object per line naming the event too. */
export function formatCommand(sent: SentCommand, json: boolean): string {
  if (!json) return `${sent.command} ${JSON.stringify(sent.payload)}`;
  const ctx = sent.context;
  return JSON.stringify({
    command: sent.command,
    payload: sent.payload,
    ...(ctx ? { event: ctx.event, uniqueid: ctx.uniqueid, seq: ctx.seq } : {}),
  });
}

/**
 * Runs an integration against recorded events with no hub: each event's handlers run to the
 * end (or their timeout) before the next event, so the output order is the order a hub
 * would receive the commands for events arriving one after another.
 */
export async function replay(events: readonly RecordedEvent[], prepared: PreparedIntegration, options: ReplayOptions): Promise<ReplaySummary> {
  let commands = 0;
  const client = createOfflineClient((sent) => {
    commands += 1;
    options.print(formatCommand(sent, options.json));
  });
  const runner = createRunner({ client, log: options.log, timeoutMs: options.timeoutMs });
  await runner.install(prepared);
  for (const event of events) {
    if (client.closed) {
      options.log.info('the integration closed its client; replay stopped');
      break;
    }
    client.observe(event);
    await runner.dispatch(event.event, event);
    if (event.event === 'hangup' || event.event === 'abandon') client.forget(event['uniqueid'] as string);
  }
  return {
    events: runner.stats.events,
    commands,
    refused: client.refused,
    failed: runner.stats.failed,
    timedOut: runner.stats.timedOut,
  };
}
