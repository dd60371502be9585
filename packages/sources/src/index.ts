export type { CallEventSink, SourceLogger } from './sink.js';
export { silentLogger } from './sink.js';
export { createSimulator } from './simulator/simulator.js';
export type { Simulator, SimulatorOptions } from './simulator/simulator.js';
export { demoAgents, demoQueues } from './simulator/floor.js';
export { createHttpSink } from './http-sink.js';
