// Benchmark: MEMOIR routing latency in Node at the bundled model's scale and at the paper's (FFN 14336,
// k 4096), with the WASM-SIMD kernel and the plain-JS fallback. Prints one JSON object.
// Run: npx tsx bench/memoir-router.ts (the browser figures come from `npm run bench:memoir`).
import os from 'node:os';
import { timeRouting } from './router-timing';

const result = {
  bench: 'memoir-router',
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}`,
  // The 2-core machine is shared (a model trains on it): the load average says how contended it was.
  loadAverage1m: +os.loadavg()[0].toFixed(2),
  command: 'npx tsx bench/memoir-router.ts',
  runs: [
    timeRouting(2048, 512, 10_000, 200),
    timeRouting(2048, 512, 10_000, 200, false),
    timeRouting(2048, 256, 10_000, 200),
    timeRouting(14336, 4096, 10_000, 50),
    timeRouting(14336, 4096, 10_000, 50, false),
  ],
};
console.log(JSON.stringify(result, null, 2));
