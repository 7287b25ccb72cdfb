// CPU reference for RMSNorm (Llama/Qwen2): out = inp * rstd * weight, rstd = 1/sqrt(mean(inp²) + eps).
// Forward saves rstd (N). Backward: dinp is OVERWRITTEN, dweight is ACCUMULATED (+=).
// Statistics are summed in f64 (JS numbers); kernels in f32 agree to ~1e-6 relative.

/** out (N, C), rstd (N) saved; inp (N, C); weight (C). */
export function rmsnormForward(
  out: Float32Array,
  rstd: Float32Array,
  inp: Float32Array,
  weight: Float32Array,
  N: number,
  C: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const x = n * C;
    let ss = 0;
    for (let c = 0; c < C; c++) ss += inp[x + c] * inp[x + c];
    const r = 1 / Math.sqrt(ss / C + eps);
    rstd[n] = r;
    for (let c = 0; c < C; c++) out[x + c] = inp[x + c] * r * weight[c];
  }
}

/** dinp (N, C) = ∂L/∂inp; dweight (C) += ∂L/∂weight when not null; dout (N, C); inp, weight, rstd as saved. */
export function rmsnormBackward(
  dinp: Float32Array,
  dweight: Float32Array | null,
  dout: Float32Array,
  inp: Float32Array,
  weight: Float32Array,
  rstd: Float32Array,
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const x = n * C;
    const r = rstd[n];
    // y_j = w_j x_j r with r = (mean x² + eps)^-1/2, ∂r/∂x_j = -r³ x_j / C, so with g = dout ⊙ w:
    // dx_j = r (g_j - x_j r² Σ_c g_c x_c / C)
    let dot = 0;
    for (let c = 0; c < C; c++) dot += dout[x + c] * weight[c] * inp[x + c];
    const k = (r * r * dot) / C;
    for (let c = 0; c < C; c++) {
      dinp[x + c] = r * (dout[x + c] * weight[c] - inp[x + c] * k);
      if (dweight) dweight[c] += dout[x + c] * inp[x + c] * r;
    }
  }
}
