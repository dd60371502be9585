import { runConformanceOn } from './conformance.js';
import { createTestPgStore, describePostgres } from './pg-helpers.js';

// Each test gets its own schema (dropped afterwards), so files and tests never share rows.
describePostgres('postgres', () => {
  runConformanceOn('postgres', () => createTestPgStore());
});
