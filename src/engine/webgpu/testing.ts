// Test support for the WebGPU parity suites: runs one op on the CPU reference backend and on the
// webgpu backend with the same seeded inputs, downloads the named outputs and compares them with
// the per-op tolerance, recording the max error per op. Not imported by the engine itself.
import type { Backend, Tensor } from '../backend';
import { mulberry32, uniformArray } from '../../lib/random';
import { ropeInvFreq } from '../rope-freq';
import { expectClose } from '../../../tests/helpers/expect-close';
import { type ToleranceOp, WEBGPU_TOLERANCES } from './tolerances';

/** Largest |gpu - cpu| seen per op in this test process (printed by the suites for the report). */
export const maxErrors = new Map<string, number>();

/** Builds a case on one backend: uploads inputs, runs the op, returns the tensors to compare. */
export type Build = (b: Backend) => Partial<Record<string, Tensor>>;

export async function parity(
  cpu: Backend,
  gpu: Backend,
  op: ToleranceOp,
  label: string,
  build: Build,
): Promise<void> {
  const [want, got] = [await run(cpu, build), await run(gpu, build)];
  for (const name of Object.keys(want)) {
    const diff = expectClose(got[name], want[name], {
      ...WEBGPU_TOLERANCES[op],
      label: `${op} ${label}: ${name}`,
    });
    maxErrors.set(op, Math.max(maxErrors.get(op) ?? 0, diff));
  }
}

async function run(b: Backend, build: Build): Promise<Record<string, Float32Array>> {
  const outs = Object.entries(build(b)).filter((e): e is [string, Tensor] => e[1] !== undefined);
  const result: Record<string, Float32Array> = {};
  for (const [name, t] of outs) result[name] = await b.download(t);
  for (const [, t] of outs) b.free(t);
  return result;
}

/** Seeded uniform f32 tensor in [-scale, scale). */
export function rand(b: Backend, shape: number[], seed: number, scale = 1): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return b.upload(shape, { dtype: 'f32', data: uniformArray(n, seed, scale) });
}

export function ints(b: Backend, values: number[]): Tensor {
  return b.upload([values.length], { dtype: 'i32', data: Int32Array.from(values) });
}

/** RoPE invFreq (HS/2): plain (theta 10000) or `scaled`, seeded values in [0, 1) standing for any
 *  rescaled table (llama3, linear), so that the kernel is seen to read the tensor, not recompute it. */
export function invFreqs(b: Backend, HS: number, scaled: boolean): Tensor {
  const data = scaled ? uniformArray(HS / 2, 60).map(Math.abs) : ropeInvFreq(HS, 10000);
  return b.upload([HS / 2], { dtype: 'f32', data });
}

/** `k` distinct indices in [0, n), in a seeded random order. */
export function distinct(k: number, n: number, seed: number): number[] {
  const next = mulberry32(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, k);
}

/** `count` seeded integers in [lo, hi). */
export function randInts(count: number, lo: number, hi: number, seed: number): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => lo + Math.floor(next() * (hi - lo)));
}

/** One line per op with its max error, for the suite's afterAll. */
export function reportMaxErrors(): string {
  return [...maxErrors].map(([op, e]) => `${op.padEnd(28)} ${e.toExponential(2)}`).join('\n');
}
