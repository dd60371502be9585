// Preloaded into the server under test (node --import): reports its event-loop delay once a
// second on stderr, so the bench can show stalls (a long synchronous task delays every
// message behind it). Plain JavaScript: the hub runs compiled code, without a TS loader.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
setInterval(() => {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.stderr.write(`bench-loop-delay ${JSON.stringify({ at: Date.now(), p99: ms(histogram.percentile(99)), max: ms(histogram.max) })}\n`);
  histogram.reset();
}, 1000).unref();
