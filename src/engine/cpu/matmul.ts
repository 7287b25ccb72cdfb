// CPU reference for Linear layers in HF layout: out (N, OC) = inp (N, C) · weightᵀ (+ bias).
// The weight may be f32, f16, q8 or q4 (src/models/quantize.ts); each row is decoded once per call,
// which is the "dequantize on the fly" the WGSL kernels also do. Backward: dinp is OVERWRITTEN,
// dweight/dbias are ACCUMULATED (+=) and require nothing of the weight's dtype (the gradient is f32).

import type { HostData } from '../backend';
import { decodeRow } from '../../models/quantize';

/** out (N, OC); inp (N, C); weight (OC, C) any weight dtype; bias (OC) or null. */
export function matmulForward(
  out: Float32Array,
  inp: Float32Array,
  weight: HostData,
  bias: Float32Array | null,
  N: number,
  C: number,
  OC: number,
): void {
  const scratch = new Float32Array(C);
  for (let o = 0; o < OC; o++) {
    const row = decodeRow(weight, o, C, scratch);
    const b = bias ? bias[o] : 0;
    for (let n = 0; n < N; n++) {
      const x = n * C;
      let acc = 0;
      for (let c = 0; c < C; c++) acc += inp[x + c] * row[c];
      out[n * OC + o] = acc + b;
    }
  }
}

/** dinp (N, C) = dout · weight when not null; dweight (OC, C) += doutᵀ · inp; dbias (OC) += Σ_n dout. */
export function matmulBackward(
  dinp: Float32Array | null,
  dweight: Float32Array | null,
  dbias: Float32Array | null,
  dout: Float32Array,
  inp: Float32Array,
  weight: HostData,
  N: number,
  C: number,
  OC: number,
): void {
  if (dinp) {
    dinp.fill(0, 0, N * C);
    const scratch = new Float32Array(C);
    for (let o = 0; o < OC; o++) {
      const row = decodeRow(weight, o, C, scratch);
      for (let n = 0; n < N; n++) {
        const d = dout[n * OC + o];
        if (d === 0) continue;
        const x = n * C;
        for (let c = 0; c < C; c++) dinp[x + c] += d * row[c];
      }
    }
  }
  if (dweight || dbias) {
    for (let o = 0; o < OC; o++) {
      for (let n = 0; n < N; n++) {
        const d = dout[n * OC + o];
        if (dbias) dbias[o] += d;
        if (!dweight) continue;
        const x = n * C;
        for (let c = 0; c < C; c++) dweight[o * C + c] += d * inp[x + c];
      }
    }
  }
}
