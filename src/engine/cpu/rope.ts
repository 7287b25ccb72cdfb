// CPU reference for rotary position embedding, HF "rotate_half" convention (Llama, Qwen2): channel i
// of a head pairs with channel i + HS/2, rotated by angle pos * theta^(-2i/HS). Angles are rounded to
// f32 like PyTorch computes them, so long positions agree with torch and with the WGSL kernel.
// Backward is the inverse rotation; dinp is OVERWRITTEN (and may alias dout).

/** Rotates x (T, NH, HS) in place of out by +1 (forward) or -1 (inverse) times the angles. */
function rotate(
  out: Float32Array,
  x: Float32Array,
  positions: Int32Array,
  T: number,
  NH: number,
  HS: number,
  theta: number,
  direction: 1 | -1,
): void {
  const half = HS / 2;
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / Math.fround(theta ** ((2 * i) / HS)));
    for (let t = 0; t < T; t++) {
      const angle = Math.fround(positions[t] * invFreq);
      const cos = Math.fround(Math.cos(angle));
      const sin = direction * Math.fround(Math.sin(angle));
      for (let h = 0; h < NH; h++) {
        const base = (t * NH + h) * HS;
        const x1 = x[base + i];
        const x2 = x[base + i + half];
        out[base + i] = x1 * cos - x2 * sin;
        out[base + i + half] = x2 * cos + x1 * sin;
      }
    }
  }
}

/** out (T, NH, HS) = rope(inp (T, NH, HS)) at positions (T); out may alias inp. */
export function ropeForward(
  out: Float32Array,
  inp: Float32Array,
  positions: Int32Array,
  T: number,
  NH: number,
  HS: number,
  theta: number,
): void {
  rotate(out, inp, positions, T, NH, HS, theta, 1);
}

/** dinp (T, NH, HS) = rotation of dout (T, NH, HS) by the negated angles; dinp may alias dout. */
export function ropeBackward(
  dinp: Float32Array,
  dout: Float32Array,
  positions: Int32Array,
  T: number,
  NH: number,
  HS: number,
  theta: number,
): void {
  rotate(dinp, dout, positions, T, NH, HS, theta, -1);
}
