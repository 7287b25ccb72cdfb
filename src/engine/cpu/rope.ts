// CPU reference for rotary position embedding, HF "rotate_half" convention (Llama, Qwen, Gemma):
// channel i of a head pairs with channel i + HS/2, rotated by angle pos * invFreq[i]. The angle and
// its cos/sin are rounded to f32 like transformers computes them (`freqs = inv_freq @ position_ids`
// in float32), so long positions agree with torch and with the WGSL kernel.
// Backward is the inverse rotation; dinp is OVERWRITTEN (and may alias dout).

/** Rotates x (T, NH, HS) into out by +1 (forward) or -1 (inverse) times the angles. */
function rotate(
  out: Float32Array,
  x: Float32Array,
  positions: Int32Array,
  invFreq: Float32Array,
  T: number,
  NH: number,
  HS: number,
  direction: 1 | -1,
): void {
  const half = HS / 2;
  for (let i = 0; i < half; i++) {
    for (let t = 0; t < T; t++) {
      const angle = Math.fround(positions[t] * invFreq[i]);
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

/** out (T, NH, HS) = rope(inp (T, NH, HS)) at positions (T) with invFreq (HS/2); out may alias inp. */
export function ropeForward(
  out: Float32Array,
  inp: Float32Array,
  positions: Int32Array,
  invFreq: Float32Array,
  T: number,
  NH: number,
  HS: number,
): void {
  rotate(out, inp, positions, invFreq, T, NH, HS, 1);
}

/** dinp (T, NH, HS) = rotation of dout (T, NH, HS) by the negated angles; dinp may alias dout. */
export function ropeBackward(
  dinp: Float32Array,
  dout: Float32Array,
  positions: Int32Array,
  invFreq: Float32Array,
  T: number,
  NH: number,
  HS: number,
): void {
  rotate(dinp, dout, positions, invFreq, T, NH, HS, -1);
}
