// RoPE frequency scaling as transformers' modeling_rope_utils computes it: `linear` divides every
// inverse frequency by factor, `llama3` (_compute_llama3_parameters) divides the low frequencies by
// factor, keeps the high ones and blends the band between. Each f32 tensor op of the Python is one
// Math.fround here, so the result is the same f32 values torch gets. Host-side and pure; the default
// (unscaled) inverse frequencies come from the engine's ropeInvFreq, the input of scaledInvFreq.

export type RopeSpec =
  | { type: 'default'; theta: number }
  | { type: 'linear'; theta: number; factor: number }
  | {
      type: 'llama3';
      theta: number;
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositions: number;
    };

export const ROPE_TYPES: readonly RopeSpec['type'][] = ['default', 'linear', 'llama3'];

/** invFreq (HS/2) f32 of the unscaled RoPE at spec.theta → the frequencies `spec` asks for. */
export function scaledInvFreq(spec: RopeSpec, invFreq: Float32Array): Float32Array {
  const f = Math.fround;
  if (spec.type === 'default') return invFreq;
  const factor = f(spec.factor);
  if (spec.type === 'linear') return invFreq.map((x) => f(x / factor));
  const { lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: old } = spec;
  // Python floats compared with an f32 tensor are rounded to f32 first.
  const lowFreqWavelen = f(old / low);
  const highFreqWavelen = f(old / high);
  const twoPi = f(2 * Math.PI);
  return invFreq.map((inv) => {
    const wavelen = f(twoPi / inv);
    const llama = wavelen > lowFreqWavelen ? f(inv / factor) : inv;
    const isMedium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
    if (!isMedium) return llama;
    const smooth = f(f(f(f(old) / wavelen) - f(low)) / f(high - low));
    return f(f(f(f(1 - smooth) * llama) / factor) + f(smooth * llama));
  });
}
