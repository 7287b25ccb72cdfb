// CPU reference for scaleForward: out = inp * s, e.g. Gemma's embedding times sqrt(C). Forward only:
// the edit path never backpropagates through the embedding.

/** out (n) = inp * fround(s) in f32 (s rounded to f32 first, as torch casts the scale); out may alias inp. */
export function scaleForward(out: Float32Array, inp: Float32Array, s: number, n: number): void {
  const sf = Math.fround(s);
  for (let i = 0; i < n; i++) out[i] = inp[i] * sf; // f64 product of two f32s is exact, then rounded once
}
