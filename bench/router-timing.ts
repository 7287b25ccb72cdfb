// MEMOIR routing latency: best-overlap search over E stored masks. Random masks suffice: the scan costs
// E·⌈H/32⌉ words whatever the masks are. Shared by the Node benchmark (bench/memoir-router.ts) and the
// browser one (bench/pages/memoir.ts), so both measure the same thing.
import { MaskRouter } from '../src/editors/memoir/router';
import { mulberry32 } from '../src/lib/random';

function randomMask(H: number, k: number, next: () => number): Int32Array {
  const pool = Int32Array.from({ length: H }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (H - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort();
}

export interface RouterTiming {
  kernel: 'wasm-simd' | 'js';
  H: number;
  k: number;
  E: number;
  queries: number;
  addMillisTotal: number;
  queryMillis: { p50: number; p90: number; max: number };
}

/** Stores E random masks, then times `queries` best-match searches (after a JIT warm-up). */
export function timeRouting(H: number, k: number, E: number, queries: number, simd = true): RouterTiming {
  const next = mulberry32(H + k + E);
  const router = new MaskRouter(H, k, { simd });
  const t0 = performance.now();
  for (let e = 0; e < E; e++) router.add(randomMask(H, k, next));
  const addMillis = performance.now() - t0;
  const qs = Array.from({ length: queries }, () => randomMask(H, k, next));
  for (const q of qs.slice(0, 5)) router.best(q);
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
