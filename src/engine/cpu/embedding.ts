// CPU reference for the embedding lookup (forward only: token embeddings are never trained here).
// The table may be f32, f16, q8 or q4: each gathered row is decoded with quantize.ts's decodeRow, the
// same decode the matmul uses, so a quantized embedding and the tied LM head read the same numbers.
// Also serves as a row gather: with wte = hidden states (T, C) f32 and ids = [T-1] it picks the last
// row, which is how the model feeds only the last position to the LM head.

import type { HostData } from '../backend';
import { decodeRow } from '../quantize';

/** out (T, C) = wte[ids - firstRow] decoded to f32; ids (T); wte (V, C) rows firstRow.. of a table
 *  (model/row-blocks.ts splits one by rows). Rows whose id is outside [firstRow, firstRow + V) are left
 *  as they are: another block holds them (the model checks ids against the vocabulary). */
export function embeddingForward(
  out: Float32Array,
  ids: Int32Array,
  wte: HostData,
  T: number,
  C: number,
  V: number,
  firstRow = 0,
): void {
  for (let t = 0; t < T; t++) {
    const r = ids[t] - firstRow;
    if (r < 0 || r >= V) continue;
    const row = out.subarray(t * C, (t + 1) * C);
    const decoded = decodeRow(wte, r, C, row); // f32: the table's own row, copied below
    if (decoded !== row) row.set(decoded);
  }
}
