// CPU reference for MEMOIR's residual memory: out += (a ⊙ mask) · Wmᵀ, where the mask keeps the k
// columns listed in `cols` (indices into the FFN width H). Only those k columns are read or written,
// so the cost is O(N·C·k), not O(N·C·H). Backward ACCUMULATES into dwm (a parameter gradient).

/** out (N, C) += Σ_j a[n, cols[j]] · wm[c, cols[j]]; a (N, H); wm (C, H); cols (k). */
export function maskedMatmulAccumulate(
  out: Float32Array,
  a: Float32Array,
  wm: Float32Array,
  cols: Int32Array,
  N: number,
  C: number,
  H: number,
  k: number,
): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += a[n * H + cols[j]] * wm[c * H + cols[j]];
      out[n * C + c] += acc;
    }
  }
}

/** dwm (C, H) += doutᵀ · (a ⊙ mask) on the columns in cols only; dout (N, C); a (N, H); cols (k). */
export function maskedMatmulBackward(
  dwm: Float32Array,
  dout: Float32Array,
  a: Float32Array,
  cols: Int32Array,
  N: number,
  C: number,
  H: number,
  k: number,
): void {
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < k; j++) {
      const h = cols[j];
      let acc = 0;
      for (let n = 0; n < N; n++) acc += dout[n * C + c] * a[n * H + h];
      dwm[c * H + h] += acc;
    }
  }
}
