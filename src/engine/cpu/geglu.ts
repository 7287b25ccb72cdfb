// CPU reference for the GeGLU gate of the Gemma MLP: out = gelu_tanh(gate) * up, with transformers'
// gelu_pytorch_tanh(x) = 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), written literally.
// Backward OVERWRITES dgate and dup (activation gradients; this op has no parameters).

const K = Math.sqrt(2 / Math.PI);
const A = 0.044715;

/** out (N, H) = gelu_tanh(gate) * up; gate, up (N, H); n = N * H. */
export function gegluForward(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = gate[i];
    out[i] = 0.5 * x * (1 + Math.tanh(K * (x + A * x * x * x))) * up[i];
  }
}

/** dgate, dup (N, H); dout (N, H); gate, up as in the forward. */
export function gegluBackward(
  dgate: Float32Array,
  dup: Float32Array,
  dout: Float32Array,
  gate: Float32Array,
  up: Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const x = gate[i];
    const t = Math.tanh(K * (x + A * x * x * x));
    // d gelu/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) du/dx,  du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)
    const dgelu = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * A * x * x);
    dgate[i] = dout[i] * up[i] * dgelu;
    dup[i] = dout[i] * 0.5 * x * (1 + t);
  }
}
