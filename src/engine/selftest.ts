// The engine's smoke test that the System view runs in the worker: a seeded random matmul on the
// device backend, checked element by element against the CPU reference backend.
import type { Backend, BackendName } from './backend';
import { uniformArray } from '../lib/random';

export interface SelfTestDims {
  m: number;
  k: number;
  n: number;
  seed: number;
}

export interface SelfTestReport {
  backend: BackendName;
  dims: SelfTestDims;
  /** Sum of all output elements on the tested backend, and on the CPU reference. */
  checksum: number;
  referenceChecksum: number;
  maxAbsDiff: number;
  tolerance: number;
  passed: boolean;
  millis: number;
}

/** Inputs are a function of the dims alone, so anyone can recompute the expected result. */
export function selfTestInputs({ m, k, n, seed }: SelfTestDims): { inp: Float32Array; weight: Float32Array } {
  return { inp: uniformArray(m * k, seed), weight: uniformArray(n * k, seed + 1) };
}

/** f32 accumulation-order differences stay far below this for k ≤ a few thousand. */
const TOLERANCE = 1e-4;

export async function runMatmulSelfTest(
  tested: Backend,
  reference: Backend,
  dims: SelfTestDims,
  now: () => number = () => performance.now(),
): Promise<SelfTestReport> {
  const { inp, weight } = selfTestInputs(dims);
  const started = now();
  const out = await matmulOn(tested, inp, weight, dims);
  const millis = now() - started;
  const expected = await matmulOn(reference, inp, weight, dims);
  let maxAbsDiff = 0;
  for (let i = 0; i < out.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(out[i] - expected[i]));
  return {
    backend: tested.name,
    dims,
    checksum: sum(out),
    referenceChecksum: sum(expected),
    maxAbsDiff,
    tolerance: TOLERANCE,
    passed: maxAbsDiff <= TOLERANCE,
    millis,
  };
}

async function matmulOn(backend: Backend, inp: Float32Array, weight: Float32Array, d: SelfTestDims) {
  const a = backend.upload([d.m, d.k], { dtype: 'f32', data: inp }); // (N, C)
  const w = backend.upload([d.n, d.k], { dtype: 'f32', data: weight }); // (OC, C)
  const out = backend.alloc([d.m, d.n]); // (N, OC)
  try {
    backend.matmulForward(out, a, w, null);
    return await backend.download(out);
  } finally {
    for (const t of [a, w, out]) backend.free(t);
  }
}

function sum(values: Float32Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
