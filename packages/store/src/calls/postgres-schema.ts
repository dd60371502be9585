import type { Migration } from '../migration.js';
import { rollupSchemaSql } from './rollup.js';

/**
 * Version 3: call summaries for the reports (version 2 is another change's). The same
 * tables as SQLite's: integer milliseconds, 0/1 flags that sum into counts.
 */
export const postgresCallsMigration: Migration = {
  version: 3,
  name: 'call summaries',
  sql: `
    -- One row per queue a call visited (queue '' for an outbound call).
    CREATE TABLE calls (
      uniqueid TEXT NOT NULL,
      queue TEXT NOT NULL,
      outbound SMALLINT NOT NULL DEFAULT 0,
      entered_ms BIGINT NOT NULL,
      entered_exact SMALLINT NOT NULL DEFAULT 0,
      answered_ms BIGINT,
      ended_ms BIGINT,
      peer TEXT,
      agentname TEXT,
      answered SMALLINT NOT NULL DEFAULT 0,
      abandoned SMALLINT NOT NULL DEFAULT 0,
      hungup SMALLINT NOT NULL DEFAULT 0,
      holdtime DOUBLE PRECISION,
      talktime DOUBLE PRECISION,
      reason TEXT,
      PRIMARY KEY (uniqueid, queue)
    );
    -- Covers the queue report (an index-only scan in entry-time order).
    CREATE INDEX calls_report ON calls (entered_ms) INCLUDE (queue, answered, abandoned, hungup, holdtime, talktime) WHERE outbound = 0;
    CREATE INDEX calls_entered ON calls (entered_ms);

    -- One row per peer rung for (or placing) a call; entered_ms is the call's.
    CREATE TABLE call_agents (
      uniqueid TEXT NOT NULL,
      queue TEXT NOT NULL,
      peer TEXT NOT NULL,
      agentname TEXT,
      entered_ms BIGINT NOT NULL,
      rings INTEGER NOT NULL DEFAULT 0,
      ring_no_answer INTEGER NOT NULL DEFAULT 0,
      answered SMALLINT NOT NULL DEFAULT 0,
      hungup SMALLINT NOT NULL DEFAULT 0,
      talktime DOUBLE PRECISION,
      outbound SMALLINT NOT NULL DEFAULT 0,
      PRIMARY KEY (uniqueid, queue, peer)
    );
    CREATE INDEX call_agents_report ON call_agents (entered_ms) INCLUDE (peer, rings, answered, ring_no_answer, hungup, talktime, outbound, agentname);

    CREATE TABLE agent_pauses (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      peer TEXT NOT NULL,
      queue TEXT NOT NULL,
      agentname TEXT,
      start_ms BIGINT NOT NULL,
      end_ms BIGINT
    );
    CREATE UNIQUE INDEX agent_pauses_open ON agent_pauses (peer, queue) WHERE end_ms IS NULL;
    CREATE INDEX agent_pauses_start ON agent_pauses (start_ms);
  `,
};

/** Version 6: the reports' rollups per 15-minute slot (see rollup.ts); 4 and 5 are other changes'. */
export const postgresRollupMigration: Migration = { version: 6, name: 'report rollups', sql: rollupSchemaSql('postgres') };

/**
 * Version 9: the report indexes without the summaries' counters, as in SQLite. Columns an
 * index includes count as indexed: a summary update that changed answered or talktime
 * could not be a heap-only (HOT) update and wrote a new entry into the index as well.
 */
export const postgresReportIndexesMigration: Migration = {
  version: 9,
  name: 'report indexes without counters',
  sql: `
    DROP INDEX calls_report;
    CREATE INDEX calls_report_keys ON calls (entered_ms, queue) WHERE outbound = 0;
    DROP INDEX call_agents_report;
    CREATE INDEX call_agents_report_keys ON call_agents (entered_ms, peer);
  `,
};
