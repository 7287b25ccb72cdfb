// The CPU matmul as plain loops, one output at a time: the oracle the blocked kernels in
// src/engine/cpu/matmul.ts must equal bit for bit (matmul.test.ts) and their peer in bench/cpu-matmul.ts.

/** out (N, OC) = inp (N, C) · wᵀ + bias: one dot product per output, over c in order. */
export function plainForward(
  inp: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  N: number,
  C: number,
  OC: number,
): Float32Array {
  const out = new Float32Array(N * OC);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OC; o++) {
      let acc = 0;
      for (let c = 0; c < C; c++) acc += inp[n * C + c] * w[o * C + c];
      out[n * OC + o] = acc + (bias ? bias[o] : 0);
    }
  return out;
}

/** dinp (N, C) = dout · w: accumulated over o in order, each step rounded to f32 in dinp. */
export function plainDinp(
  dout: Float32Array,
  w: Float32Array,
  N: number,
  C: number,
  OC: number,
): Float32Array {
  const dinp = new Float32Array(N * C);
  for (let o = 0; o < OC; o++)
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) dinp[n * C + c] += dout[n * OC + o] * w[o * C + c];
  return dinp;
}
