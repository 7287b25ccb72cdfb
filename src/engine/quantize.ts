// Weight number formats shared by the loader, the CPU reference matmul and (by documentation) the
// WGSL kernels: f16/bf16 decoding and symmetric block quantization q8/q4 of weights (OC, C): Linear
// weights and embeddings.
// Not an activation quantizer: activations, norms and biases always stay f32.
//
// Block layout (the WGSL kernels must match it exactly):
//   Blocks of QUANT_BLOCK = 32 consecutive values along the input dim C of one output row share one
//   f32 scale: scales (OC, C/32) row-major, block b of row o covers w[o, 32b .. 32b+31]; C % 32 == 0.
//   q8: values (OC, C) Int8, w ≈ q * scale, scale = max|w| / 127, q in [-127, 127].
//   q4: scale = max|w| / 7, q in [-7, 7], stored as 4-bit two's complement nibbles, two per byte:
//       flat element i = o*C + c lives in byte i >> 1, low nibble (bits 0-3) when i is even, high
//       nibble (bits 4-7) when odd. packed (OC*C/2) Uint8. Decode: ((nibble << 28) >> 28) as i32.
//   A block of zeros gets scale 0 and all-zero values.

import { QUANT_BLOCK, type HostData } from './backend';
import { EngineError } from './errors';

export type WeightPrecision = 'f32' | 'f16' | 'q8' | 'q4';

// ---- half floats ----

/** IEEE 754 binary16 bits → number (handles subnormals, inf, NaN). */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** number → binary16 bits, round to nearest even; overflow → ±inf. */
export function f32ToF16(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the implicit-1 mantissa right, rounding to nearest even.
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  mant >>>= 13;
  if (rest > 0x1000 || (rest === 0x1000 && mant & 1)) {
    mant++;
    if (mant === 0x400) {
      mant = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | mant;
}

export function decodeF16(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f16ToF32(src[i]);
  return out;
}

export function encodeF16(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f32ToF16(src[i]);
  return out;
}

/** bfloat16 is the top half of an f32: shift into place, exact. */
export function decodeBF16(src: Uint16Array): Float32Array {
  const bits = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
  return new Float32Array(bits.buffer);
}

// ---- block quantization ----

function checkBlocks(place: string, n: number, OC: number, C: number): void {
  if (C % QUANT_BLOCK !== 0 || n !== OC * C) {
    throw new EngineError(
      'SHAPE',
      `${place}: weight (OC, C)=(${OC}, ${C}) with ${n} values cannot be split into blocks of ${QUANT_BLOCK} along C`,
      `use precision "f32" for models whose widths are not multiples of ${QUANT_BLOCK}`,
    );
  }
}

/** Quantizes w (OC, C) with one scale per block; `qmax` 127 (q8) or 7 (q4). q (OC, C) as Int8. */
function quantizeBlocks(
  w: Float32Array,
  OC: number,
  C: number,
  qmax: number,
): { q: Int8Array; scales: Float32Array } {
  const nb = C / QUANT_BLOCK;
  const q = new Int8Array(OC * C);
  const scales = new Float32Array(OC * nb);
  for (let b = 0; b < OC * nb; b++) {
    const start = b * QUANT_BLOCK; // blocks tile each row and rows are contiguous
    let amax = 0;
    for (let i = 0; i < QUANT_BLOCK; i++) amax = Math.max(amax, Math.abs(w[start + i]));
    const scale = amax / qmax;
    scales[b] = scale;
    if (scale === 0) continue;
    for (let i = 0; i < QUANT_BLOCK; i++) {
      q[start + i] = Math.max(-qmax, Math.min(qmax, Math.round(w[start + i] / scale)));
    }
  }
  return { q, scales };
}

export function quantizeQ8(
  w: Float32Array,
  OC: number,
  C: number,
): { values: Int8Array; scales: Float32Array } {
  checkBlocks('quantizeQ8', w.length, OC, C);
  const { q, scales } = quantizeBlocks(w, OC, C, 127);
  return { values: q, scales };
}

export function quantizeQ4(
  w: Float32Array,
  OC: number,
  C: number,
): { packed: Uint8Array; scales: Float32Array } {
  checkBlocks('quantizeQ4', w.length, OC, C);
  const { q, scales } = quantizeBlocks(w, OC, C, 7);
  const packed = new Uint8Array((OC * C) / 2);
  for (let i = 0; i < packed.length; i++) {
    packed[i] = (q[2 * i] & 0xf) | ((q[2 * i + 1] & 0xf) << 4);
  }
  return { packed, scales };
}

/** w (OC, C) f32 → host data of the requested precision, ready for Backend.upload. */
export function encodeWeight(w: Float32Array, OC: number, C: number, precision: WeightPrecision): HostData {
  switch (precision) {
    case 'f32':
      return { dtype: 'f32', data: w };
    case 'f16':
      return { dtype: 'f16', data: encodeF16(w) };
    case 'q8':
      return { dtype: 'q8', ...quantizeQ8(w, OC, C) };
    case 'q4':
      return { dtype: 'q4', ...quantizeQ4(w, OC, C) };
    default: {
      const never: never = precision;
      throw new EngineError('UNIMPLEMENTED', `encodeWeight: unknown precision ${String(never)}`);
    }
  }
}

/** Values per chunk of encodeWeightRows: 1 Mi (4 MB of f32 rows at a time). */
const ROW_CHUNK_VALUES = 1 << 20;

/** Like encodeWeight for a weight (OC, C) read a range of rows at a time (`rows(r0, r1)` →
 *  ((r1 - r0) * C) f32), so that no f32 copy of the whole weight is needed. Equal to encodeWeight of
 *  the whole: quantization blocks never straddle rows. */
export function encodeWeightRows(
  rows: (r0: number, r1: number) => Float32Array,
  OC: number,
  C: number,
  precision: WeightPrecision,
): HostData {
  if (precision === 'f32') return { dtype: 'f32', data: rows(0, OC) };
  const step = Math.max(1, Math.floor(ROW_CHUNK_VALUES / C));
  const n = OC * C;
  const scales = new Float32Array(n / QUANT_BLOCK);
  const out: HostData =
    precision === 'f16'
      ? { dtype: 'f16', data: new Uint16Array(n) }
      : precision === 'q8'
        ? { dtype: 'q8', values: new Int8Array(n), scales }
        : { dtype: 'q4', packed: new Uint8Array(n / 2), scales };
  for (let r0 = 0; r0 < OC; r0 += step) {
    const r1 = Math.min(OC, r0 + step);
    const part = encodeWeight(rows(r0, r1), r1 - r0, C, precision);
    const at = r0 * C; // C % 32 == 0 for q8/q4, so block scales and q4 bytes split here too
    if (part.dtype === 'f16' && out.dtype === 'f16') out.data.set(part.data, at);
    if (part.dtype === 'q8' && out.dtype === 'q8') out.values.set(part.values, at);
    if (part.dtype === 'q4' && out.dtype === 'q4') out.packed.set(part.packed, at / 2);
    if (part.dtype === 'q8' || part.dtype === 'q4') scales.set(part.scales, at / QUANT_BLOCK);
  }
  return out;
}

/** Decodes row o of a weight (OC, C) of any dtype into dst (C). The CPU matmul calls it per row;
 *  for f32 it returns the row itself (no copy). Blocks never straddle rows since C % 32 == 0. */
export function decodeRow(w: HostData, o: number, C: number, dst: Float32Array): Float32Array {
  const base = o * C;
  switch (w.dtype) {
    case 'f32':
      return w.data.subarray(base, base + C);
    case 'f16':
      for (let c = 0; c < C; c++) dst[c] = f16ToF32(w.data[base + c]);
      return dst;
    case 'q8':
      for (let c0 = 0; c0 < C; c0 += QUANT_BLOCK) {
        const scale = w.scales[(base + c0) / QUANT_BLOCK];
        for (let c = c0; c < c0 + QUANT_BLOCK; c++) dst[c] = w.values[base + c] * scale;
      }
      return dst;
    case 'q4':
      for (let c0 = 0; c0 < C; c0 += QUANT_BLOCK) {
        const scale = w.scales[(base + c0) / QUANT_BLOCK];
        for (let c = c0; c < c0 + QUANT_BLOCK; c++) {
          const i = base + c;
          const nibble = (w.packed[i >> 1] >> ((i & 1) * 4)) & 0xf;
          dst[c] = ((nibble << 28) >> 28) * scale;
        }
      }
      return dst;
    case 'i32':
      throw new EngineError('SHAPE', `decodeRow: weight must be f32 | f16 | q8 | q4, got i32`);
  }
}

/** Whole weight (OC, C) of any dtype → f32. */
export function decodeWeight(w: HostData, OC: number, C: number): Float32Array {
  const out = new Float32Array(OC * C);
  const scratch = new Float32Array(C);
  for (let o = 0; o < OC; o++) out.set(decodeRow(w, o, C, scratch), o * C);
  return out;
}
