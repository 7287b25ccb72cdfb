// CPU reference for Linear layers in HF layout: out (N, OC) = inp (N, C) · weightᵀ (+ bias).
// The weight may be f32, f16, q8 or q4 (src/engine/quantize.ts); each row is decoded once per call,
// which is the "dequantize on the fly" the WGSL kernels also do. Backward: dinp is OVERWRITTEN,
// dweight/dbias are ACCUMULATED (+=) and require nothing of the weight's dtype (the gradient is f32).
//
// Both directions work on blocks of 4 tokens (and, forward, 2 output channels), so each value loaded
// is used several times and the sums of a block are independent of each other: ~3.3× (forward) and
// ~3× (dinp) the plain loops in V8 (bench/results/2026-11-24-cpu-matmul.json). The N mod 4 tokens left
// (all of them for an edit's 1-3 scored rows) go one token × 4 output channels at a time instead
// (`fewRows` in bench/results/2026-11-24-cpu-matmul-few-rows.json). Every output is still summed in the
// plain loop's order (over c, resp. o, ascending, each dinp step rounded to f32), so results are
// bit-identical to it; matmul.test.ts checks that against the plain loops on ragged shapes.

import type { HostData } from '../backend';
import { decodeRow } from '../quantize';

/** Tokens per block. */
const TB = 4;
/** Output channels per block when fewer than TB tokens are left. */
const OB = 4;

/** Σ_c inp[x + c] · row[c], in order. */
function dot(inp: Float32Array, x: number, row: Float32Array, C: number): number {
  let acc = 0;
  for (let c = 0; c < C; c++) acc += inp[x + c] * row[c];
  return acc;
}

/** out (N, OC); inp (N, C); weight (OC, C) any weight dtype; bias (OC) or null. A Float64Array out
 *  keeps each sum unrounded (the masked memory adds its sums to f32 values itself). */
export function matmulForward(
  out: Float32Array | Float64Array,
  inp: Float32Array,
  weight: HostData,
  bias: Float32Array | null,
  N: number,
  C: number,
  OC: number,
): void {
  const full = N - (N % TB);
  if (full > 0) forwardBlocks(out, inp, weight, bias, full, C, OC);
  if (full < N) forwardFewRows(out, inp, weight, bias, full, N, C, OC);
}

/** Rows [0, full) in blocks of 4 tokens × 2 output channels; full is a multiple of TB. */
function forwardBlocks(
  out: Float32Array | Float64Array,
  inp: Float32Array,
  weight: HostData,
  bias: Float32Array | null,
  full: number,
  C: number,
  OC: number,
): void {
  const scratch0 = new Float32Array(C);
  const scratch1 = new Float32Array(C);
  let o = 0;
  for (; o + 2 <= OC; o += 2) {
    const r0 = decodeRow(weight, o, C, scratch0);
    const r1 = decodeRow(weight, o + 1, C, scratch1);
    const b0 = bias ? bias[o] : 0;
    const b1 = bias ? bias[o + 1] : 0;
    for (let n = 0; n < full; n += TB) {
      const x0 = n * C;
      const [x1, x2, x3] = [x0 + C, x0 + 2 * C, x0 + 3 * C];
      let [a0, a1, a2, a3, e0, e1, e2, e3] = [0, 0, 0, 0, 0, 0, 0, 0];
      for (let c = 0; c < C; c++) {
        const w0 = r0[c];
        const w1 = r1[c];
        const i0 = inp[x0 + c];
        const i1 = inp[x1 + c];
        const i2 = inp[x2 + c];
        const i3 = inp[x3 + c];
        a0 += i0 * w0;
        a1 += i1 * w0;
        a2 += i2 * w0;
        a3 += i3 * w0;
        e0 += i0 * w1;
        e1 += i1 * w1;
        e2 += i2 * w1;
        e3 += i3 * w1;
      }
      const y = n * OC + o;
      out[y] = a0 + b0;
      out[y + OC] = a1 + b0;
      out[y + 2 * OC] = a2 + b0;
      out[y + 3 * OC] = a3 + b0;
      out[y + 1] = e0 + b1;
      out[y + OC + 1] = e1 + b1;
      out[y + 2 * OC + 1] = e2 + b1;
      out[y + 3 * OC + 1] = e3 + b1;
    }
  }
  if (o < OC) {
    const row = decodeRow(weight, o, C, scratch0);
    const b = bias ? bias[o] : 0;
    for (let n = 0; n < full; n++) out[n * OC + o] = dot(inp, n * C, row, C) + b;
  }
}

/** The weight's output channels in blocks of OB, each block's rows side by side: its first channel o,
 *  the buffer holding the rows and each row's offset in it. f32 weights are read in place; other dtypes
 *  are decoded into one reused block. The OC mod OB channels left are the caller's (from OC - OC % OB). */
function* channelBlocks(
  weight: HostData,
  C: number,
  OC: number,
): Generator<{ o: number; rows: Float32Array; w: [number, number, number, number] }> {
  const scratch = new Float32Array(C);
  const block = new Float32Array(OB * C);
  for (let o = 0; o + OB <= OC; o += OB) {
    let rows: Float32Array = block;
    let base = 0;
    if (weight.dtype === 'f32') [rows, base] = [weight.data, o * C];
    else for (let j = 0; j < OB; j++) block.set(decodeRow(weight, o + j, C, scratch), j * C);
    yield { o, rows, w: [base, base + C, base + 2 * C, base + 3 * C] };
  }
}

/** Rows [n0, N), fewer than a block (an edit's scored rows): one token × 4 output channels at a time. */
function forwardFewRows(
  out: Float32Array | Float64Array,
  inp: Float32Array,
  weight: HostData,
  bias: Float32Array | null,
  n0: number,
  N: number,
  C: number,
  OC: number,
): void {
  for (const {
    o,
    rows,
    w: [w0, w1, w2, w3],
  } of channelBlocks(weight, C, OC)) {
    for (let n = n0; n < N; n++) {
      const x = n * C;
      let [a0, a1, a2, a3] = [0, 0, 0, 0];
      for (let c = 0; c < C; c++) {
        const i = inp[x + c];
        a0 += i * rows[w0 + c];
        a1 += i * rows[w1 + c];
        a2 += i * rows[w2 + c];
        a3 += i * rows[w3 + c];
      }
      const y = n * OC + o;
      out[y] = a0 + (bias ? bias[o] : 0);
      out[y + 1] = a1 + (bias ? bias[o + 1] : 0);
      out[y + 2] = a2 + (bias ? bias[o + 2] : 0);
      out[y + 3] = a3 + (bias ? bias[o + 3] : 0);
    }
  }
  const scratch = new Float32Array(C);
  for (let o = OC - (OC % OB); o < OC; o++) {
    const row = decodeRow(weight, o, C, scratch);
    const b = bias ? bias[o] : 0;
    for (let n = n0; n < N; n++) out[n * OC + o] = dot(inp, n * C, row, C) + b;
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
  if (dinp) dinpBackward(dinp, dout, weight, N, C, OC);
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

/** dinp = dout · weight, accumulated over o in order. Zero gradients are skipped (the LM head's rows of
 *  unscored positions are all zero): dinp starts at +0 and never becomes −0, so adding d · row = ±0 would
 *  not change it, and the skip keeps results bit-identical. */
function dinpBackward(
  dinp: Float32Array,
  dout: Float32Array,
  weight: HostData,
  N: number,
  C: number,
  OC: number,
): void {
  dinp.fill(0, 0, N * C);
  const full = N - (N % TB);
  if (full > 0) dinpBlocks(dinp, dout, weight, full, C, OC);
  if (full < N) dinpFewRows(dinp, dout, weight, full, N, C, OC);
}

/** Rows [0, full) in blocks of 4 tokens; full is a multiple of TB. */
function dinpBlocks(
  dinp: Float32Array,
  dout: Float32Array,
  weight: HostData,
  full: number,
  C: number,
  OC: number,
): void {
  const scratch = new Float32Array(C);
  for (let o = 0; o < OC; o++) {
    const row = decodeRow(weight, o, C, scratch);
    for (let n = 0; n < full; n += TB) {
      const y = n * OC + o;
      const [d0, d1, d2, d3] = [dout[y], dout[y + OC], dout[y + 2 * OC], dout[y + 3 * OC]];
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const x0 = n * C;
      const [x1, x2, x3] = [x0 + C, x0 + 2 * C, x0 + 3 * C];
      for (let c = 0; c < C; c++) {
        const w = row[c];
        dinp[x0 + c] += d0 * w;
        dinp[x1 + c] += d1 * w;
        dinp[x2 + c] += d2 * w;
        dinp[x3 + c] += d3 * w;
      }
    }
  }
}

/** Rows [n0, N), fewer than a block: one token × 4 output channels at a time, each partial sum rounded
 *  to f32 (Math.fround) as storing it in dinp would, so the result equals adding one channel at a time. */
function dinpFewRows(
  dinp: Float32Array,
  dout: Float32Array,
  weight: HostData,
  n0: number,
  N: number,
  C: number,
  OC: number,
): void {
  const f = Math.fround;
  for (const {
    o,
    rows,
    w: [w0, w1, w2, w3],
  } of channelBlocks(weight, C, OC)) {
    for (let n = n0; n < N; n++) {
      const y = n * OC + o;
      const [d0, d1, d2, d3] = [dout[y], dout[y + 1], dout[y + 2], dout[y + 3]];
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const x = n * C;
      for (let c = 0; c < C; c++) {
        const acc = f(f(f(dinp[x + c] + d0 * rows[w0 + c]) + d1 * rows[w1 + c]) + d2 * rows[w2 + c]);
        dinp[x + c] = acc + d3 * rows[w3 + c];
      }
    }
  }
  const scratch = new Float32Array(C);
  for (let o = OC - (OC % OB); o < OC; o++) {
    const row = decodeRow(weight, o, C, scratch);
    for (let n = n0; n < N; n++) {
      const d = dout[n * OC + o];
      if (d === 0) continue;
      const x = n * C;
      for (let c = 0; c < C; c++) dinp[x + c] += d * row[c];
    }
  }
}
