// CPU reference for the embedding lookup (forward only: token embeddings are never trained here).
// The table may be f32, f16, q8 or q4: each gathered row is decoded with quantize.ts's decodeRow, the
// same decode the matmul uses, so a quantized embedding and the tied LM head read the same numbers.
// Also serves as a row gather: with wte = hidden states (T, C) f32 and ids = [T-1] it picks the last
// row, which is how the model feeds only the last position to the LM head.

import type { HostData } from '../backend';
import { EngineError } from '../errors';
import { decodeRow } from '../quantize';

/** out (T, C) = wte[ids] decoded to f32; ids (T); wte (V, C). Throws SHAPE on an id outside [0, V). */
export function embeddingForward(
  out: Float32Array,
  ids: Int32Array,
  wte: HostData,
  T: number,
  C: number,
  V: number,
): void {
  for (let t = 0; t < T; t++) {
    const id = ids[t];
    if (id < 0 || id >= V)
      throw new EngineError('SHAPE', `embeddingForward: ids[${t}]=${id} outside [0, ${V})`);
    const row = out.subarray(t * C, (t + 1) * C);
    const decoded = decodeRow(wte, id, C, row); // f32: the table's own row, copied below
    if (decoded !== row) row.set(decoded);
  }
}
