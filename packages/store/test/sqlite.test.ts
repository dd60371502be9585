import { runConformanceOn } from './conformance.js';
import { createTestSqliteStore } from './sqlite-helpers.js';

runConformanceOn('sqlite', createTestSqliteStore);
