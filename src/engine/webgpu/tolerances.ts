// WebGPU-vs-CPU tolerances, one entry per op, for the parity tests (*.gpu.test.ts). The CPU reference
// accumulates in f64; the kernels in f32, in another order, with f32 exp/log/pow/cos. Each entry
// that is looser than the default says why. Not used at runtime.
import type { CloseOptions } from '../../../tests/helpers/expect-close';
import type { ModelTolerances } from '../../../tests/helpers/model-suite';

export type Tolerance = Required<Pick<CloseOptions, 'atol' | 'rtol'>>;

/** f32 rounding of short sums and single products. */
const DEFAULT: Tolerance = { atol: 1e-6, rtol: 1e-5 };

export const WEBGPU_TOLERANCES = {
  embeddingForward: { atol: 0, rtol: 0 }, // a gather: bit-exact, dequantization included
  kvWrite: { atol: 0, rtol: 0 }, // a copy
  addForward: { atol: 0, rtol: 0 }, // one f32 add, same rounding as the CPU's stored f32
  rmsnormForward: DEFAULT,
  rmsnormBackward: { atol: 1e-5, rtol: 1e-4 }, // row dot product of C terms, and r^3
  matmulForward: { atol: 2e-5, rtol: 1e-4 }, // f32 dot products of up to C=130 terms in tile order
  matmulBackward: { atol: 2e-5, rtol: 1e-4 }, // same, over OC (dinp) or N (dweight) terms
  ropeForward: { atol: 2e-5, rtol: 1e-4 }, // polynomial f32 sin/cos (common.wgsl) vs f64 Math of f32 angles
  ropeBackward: { atol: 2e-5, rtol: 1e-4 }, // same
  attentionForward: { atol: 2e-5, rtol: 1e-4 }, // f32 exp and softmax sums over up to 73 keys
  attentionBackward: { atol: 2e-5, rtol: 1e-4 }, // chained sums: dp, Σp·dp, then sums over keys/queries
  swigluForward: { atol: 1e-6, rtol: 2e-5 }, // f32 exp in the sigmoid
  swigluBackward: { atol: 1e-6, rtol: 2e-5 }, // same
  gegluForward: { atol: 1e-6, rtol: 2e-5 }, // f32 exp in x * sigmoid(2u) vs f64 tanh
  gegluBackward: { atol: 1e-6, rtol: 2e-5 }, // same
  scaleForward: { atol: 0, rtol: 0 }, // one f32 product, s rounded to f32 on both
  maskedMatmulAccumulate: { atol: 2e-5, rtol: 1e-4 }, // f32 sums over k masked columns
  maskedMatmulBackward: { atol: 2e-5, rtol: 1e-4 }, // f32 sums over N rows
  crossentropySoftmaxForward: { atol: 1e-6, rtol: 1e-4 }, // f32 exp/log and sums over V
  crossentropySoftmaxBackward: DEFAULT,
} satisfies Record<string, Tolerance>;

export type ToleranceOp = keyof typeof WEBGPU_TOLERANCES;

/** Whole tiny models (tests/helpers/model-suite.ts) on webgpu: each path is a chain of f32 kernels. */
export const WEBGPU_MODEL_TOLERANCES: ModelTolerances = {
  logits: 1e-5, // KV-cache decode vs full forward: the same kernels, other reduction lengths
  loss: 1e-5,
  grad: { atol: 2e-3, rtol: 2e-2 }, // vs central finite differences of f32 losses, as on CPU
};
