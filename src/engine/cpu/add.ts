// CPU reference for the residual add. Its backward is the identity on both inputs, so the model's
// backward reuses addForward to sum the two gradient paths that meet at a residual stream.

/** out (n) = a + b; out may alias a or b. */
export function addForward(out: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}
