// Benchmark: MEMOIR routing latency (best-overlap search over E stored masks) at the bundled model's
// scale and at the paper's (FFN 14336, k 4096). Random masks;
// masks cost the same: the scan is E·⌈H/32⌉ words whatever the masks are. Prints one JSON object. Run: npx tsx bench/memoir-router.ts
import os from 'node:os';
import { mulberry32 } from '../src/lib/random';
import { MaskRouter } from '../src/editors/memoir/router';

function randomMask(H: number, k: number, next: () => number): Int32Array {
  const pool = Int32Array.from({ length: H }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (H - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort();
}

function measure(H: number, k: number, E: number, queries: number, simd = true) {
  const next = mulberry32(H + k + E);
  const router = new MaskRouter(H, k, { simd });
  const t0 = performance.now();
  for (let e = 0; e < E; e++) router.add(randomMask(H, k, next));
  const addMillis = performance.now() - t0;
  const qs = Array.from({ length: queries }, () => randomMask(H, k, next));
  for (const q of qs.slice(0, 5)) router.best(q); // warm up the JIT
  const times: number[] = [];
  for (const q of qs) {
    const s = performance.now();
    router.best(q);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const pick = (p: number) => +times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3);
  return {
    kernel: router.simd ? 'wasm-simd' : 'js',
    H,
    k,
    E,
    queries,
    addMillisTotal: +addMillis.toFixed(1),
    queryMillis: { p50: pick(0.5), p90: pick(0.9), max: pick(1) },
  };
}

const result = {
  bench: 'memoir-router',
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}`,
  // The 2-core machine is shared (a model trains on it): the load average says how contended it was.
  loadAverage1m: +os.loadavg()[0].toFixed(2),
  command: 'npx tsx bench/memoir-router.ts',
  runs: [
    measure(2048, 512, 10_000, 200),
    measure(2048, 512, 10_000, 200, false),
    measure(2048, 256, 10_000, 200),
    measure(14336, 4096, 10_000, 50),
    measure(14336, 4096, 10_000, 50, false),
  ],
};
console.log(JSON.stringify(result, null, 2));
