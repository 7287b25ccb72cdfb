// CPU reference for the SwiGLU gate of the Llama/Qwen2 MLP: out = silu(gate) * up.
// Backward OVERWRITES dgate and dup (activation gradients; this op has no parameters).

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** out (N, H) = silu(gate) * up; gate, up (N, H); n = N * H. */
export function swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = gate[i] * sigmoid(gate[i]) * up[i];
}

/** dgate, dup (N, H); dout (N, H); gate, up as in the forward. */
export function swigluBackward(
  dgate: Float32Array,
  dup: Float32Array,
  dout: Float32Array,
  gate: Float32Array,
  up: Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i];
    const s = sigmoid(g);
    // d silu(g)/dg = s + g s (1 - s)
    dgate[i] = dout[i] * up[i] * s * (1 + g * (1 - s));
    dup[i] = dout[i] * g * s;
  }
}
