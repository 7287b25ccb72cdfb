// RoPE inverse frequencies on the host: the (HS/2) f32 table that ropeForward/ropeBackward take.
// Plain RoPE only (HF's "default" rope_type); scaled variants (llama3, linear, per-layer bases) are
// built by the model code from this one. Not an op: no backend, no tensors.

/** invFreq (HS/2) f32: 1 / theta^(2i/HS), rounded to f32 in the same steps as transformers'
 *  `1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))` (exponent, power and quotient each f32). */
export function ropeInvFreq(headDim: number, theta: number): Float32Array {
  const base = Math.fround(theta);
  return Float32Array.from({ length: headDim / 2 }, (_, i) => {
    const exponent = Math.fround((2 * i) / headDim);
    return Math.fround(1 / Math.fround(base ** exponent));
  });
}
