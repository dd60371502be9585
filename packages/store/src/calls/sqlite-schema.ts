import type { Migration } from '../migration.js';
import { rollupSchemaSql } from './rollup.js';

/**
 * Version 3: call summaries for the reports (version 2 is another change's). Times are
 * integer milliseconds since the epoch, so a report groups them by slot with integer
 * division; flags are 0/1 integers that sum into counts.
 */
export const sqliteCallsMigration: Migration = {
  version: 3,
  name: 'call summaries',
  sql: `
    -- One row per queue a call visited (queue '' for an outbound call).
    CREATE TABLE calls (
      uniqueid TEXT NOT NULL,
      queue TEXT NOT NULL,
      outbound INTEGER NOT NULL DEFAULT 0,
      entered_ms INTEGER NOT NULL,
      entered_exact INTEGER NOT NULL DEFAULT 0,
      answered_ms INTEGER,
      ended_ms INTEGER,
      peer TEXT,
      agentname TEXT,
      answered INTEGER NOT NULL DEFAULT 0,
      abandoned INTEGER NOT NULL DEFAULT 0,
      hungup INTEGER NOT NULL DEFAULT 0,
      holdtime REAL,
      talktime REAL,
      reason TEXT,
      PRIMARY KEY (uniqueid, queue)
    );
    -- Covers the queue report: it reads this index alone, in entry-time order.
    CREATE INDEX calls_report ON calls (entered_ms, queue, answered, abandoned, hungup, holdtime, talktime) WHERE outbound = 0;
    CREATE INDEX calls_entered ON calls (entered_ms);

    -- One row per peer rung for (or placing) a call; entered_ms is the call's.
    CREATE TABLE call_agents (
      uniqueid TEXT NOT NULL,
      queue TEXT NOT NULL,
      peer TEXT NOT NULL,
      agentname TEXT,
      entered_ms INTEGER NOT NULL,
      rings INTEGER NOT NULL DEFAULT 0,
      ring_no_answer INTEGER NOT NULL DEFAULT 0,
      answered INTEGER NOT NULL DEFAULT 0,
      hungup INTEGER NOT NULL DEFAULT 0,
      talktime REAL,
      outbound INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (uniqueid, queue, peer)
    );
    CREATE INDEX call_agents_report ON call_agents (entered_ms, peer, rings, answered, ring_no_answer, hungup, talktime, outbound, agentname);

    CREATE TABLE agent_pauses (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      peer TEXT NOT NULL,
      queue TEXT NOT NULL,
      agentname TEXT,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER
    );
    CREATE UNIQUE INDEX agent_pauses_open ON agent_pauses (peer, queue) WHERE end_ms IS NULL;
    CREATE INDEX agent_pauses_start ON agent_pauses (start_ms);
  `,
};

/** Version 6: the reports' rollups per 15-minute slot (see rollup.ts); 4 and 5 are other changes'. */
export const sqliteRollupMigration: Migration = { version: 6, name: 'report rollups', sql: rollupSchemaSql('sqlite') };

/**
 * Version 9: the report indexes without the summaries' counters. Version 3's covering
 * indexes also held answered, hungup, talktime and the like, which nearly every event of
 * a call changes, so each summary update moved an index entry too (about 15% of the cost
 * of storing a batch of the benchmark's events). Since version 6 the reports read whole
 * slots from the rollups; what still reads the summaries (a slot's recomputation, the
 * part-slots at a range's ends, a service level the rollup does not keep) finds its rows
 * by entry time and queue (peer), whose entries change only when a call's entry time does.
 * Entry time first, as before: the rows a batch touches are recent, so a commit writes
 * few index pages.
 */
export const sqliteReportIndexesMigration: Migration = {
  version: 9,
  name: 'report indexes without counters',
  sql: `
    DROP INDEX calls_report;
    CREATE INDEX calls_report_keys ON calls (entered_ms, queue) WHERE outbound = 0;
    DROP INDEX call_agents_report;
    CREATE INDEX call_agents_report_keys ON call_agents (entered_ms, peer);
  `,
};
