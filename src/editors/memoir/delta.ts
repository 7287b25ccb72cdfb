// A MEMOIR edit's stored change to Wm[:, cols], (C, k): IEEE half floats (f16, half the bytes) when the
// trained change rounds to half without changing what the edit does, else f32. Either way it is exactly
// what was added to Wm (trainer.ts rounds before adding), so deleting the edit subtracts its own values.
// Not the choice between the two (trainer.ts) nor storage validation (store/schema.ts).

import { decodeF16, encodeF16 } from '../../engine/quantize';

/** The dtype tag makes a half-float array read as f32 (or the reverse) unrepresentable. */
export type Delta =
  | { readonly dtype: 'f16'; readonly bits: Uint16Array } // (C, k) binary16 bit patterns
  | { readonly dtype: 'f32'; readonly values: Float32Array }; // (C, k)

export function deltaLength(d: Delta): number {
  return d.dtype === 'f16' ? d.bits.length : d.values.length;
}

/** Bytes of the delta's values as stored. */
export function deltaBytes(d: Delta): number {
  return d.dtype === 'f16' ? d.bits.byteLength : d.values.byteLength;
}

/** Every f16 bit pattern's value (256 KB, made once): a table read decodes a 10,000-edit store's deltas
 *  on load many times faster than decoding value by value, and exactly as f16ToF32 does. */
let halfTable: Float32Array | null = null;

/** The delta's values as f32 (C, k): f16 widened exactly, into `into` when given (of the delta's length:
 *  a loop over many edits then allocates nothing); an f32 delta's own array, not a copy. */
export function deltaValues(d: Delta, into?: Float32Array): Float32Array {
  if (d.dtype === 'f32') return d.values;
  halfTable ??= decodeF16(Uint16Array.from({ length: 0x10000 }, (_, i) => i));
  const out = into?.length === d.bits.length ? into : new Float32Array(d.bits.length);
  for (let i = 0; i < out.length; i++) out[i] = halfTable[d.bits[i]];
  return out;
}

/** Whether binary16 bits are Inf or NaN (exponent all ones). */
export const isHalfNonFinite = (bits: number): boolean => (bits & 0x7c00) === 0x7c00;

/** `values` rounded to the nearest f16 (ties to even), or null when one is outside f16's finite range
 *  (|x| ≥ 65520 rounds to Inf). */
export function roundToF16(values: Float32Array): Delta | null {
  const bits = encodeF16(values);
  return bits.some(isHalfNonFinite) ? null : { dtype: 'f16', bits };
}

/** How a set of edits stores its deltas: how many in each dtype, and their bytes (values only). */
export function deltaStorage(deltas: readonly Delta[]): { f16: number; f32: number; bytes: number } {
  const f16 = deltas.filter((d) => d.dtype === 'f16').length;
  return { f16, f32: deltas.length - f16, bytes: deltas.reduce((sum, d) => sum + deltaBytes(d), 0) };
}
