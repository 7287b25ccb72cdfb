// Central finite differences for checking backward ops: perturbs each element of an input in place,
// evaluates a scalar loss twice and restores it. Tiny shapes only (2 loss evaluations per element).

/** ∂loss/∂x[i] ≈ (loss(x + eps e_i) - loss(x - eps e_i)) / 2eps for every i; x is restored. */
export function numericGrad(loss: () => number, x: Float32Array, eps = 1e-2): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + eps;
    const up = loss();
    x[i] = x0 - eps;
    const down = loss();
    x[i] = x0;
    // Divide by the perturbation actually applied: f32 rounding makes it differ from 2eps.
    g[i] = (up - down) / (Math.fround(x0 + eps) - Math.fround(x0 - eps));
  }
  return g;
}

/** Σ out ⊙ w in f64: a scalar loss whose gradient w.r.t. out is w. */
export function dot(out: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * w[i];
  return s;
}
