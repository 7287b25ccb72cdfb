// CPU reference for the embedding lookup (forward only: token embeddings are never trained here).
// Also serves as a row gather: with wte = hidden states (T, C) and ids = [T-1] it picks the last row,
// which is how the model feeds only the last position to the LM head.

import { EngineError } from '../errors';

/** out (T, C) = wte[ids]; ids (T); wte (V, C). Throws SHAPE on an id outside [0, V). */
export function embeddingForward(
  out: Float32Array,
  ids: Int32Array,
  wte: Float32Array,
  T: number,
  C: number,
  V: number,
): void {
  for (let t = 0; t < T; t++) {
    const id = ids[t];
    if (id < 0 || id >= V)
      throw new EngineError('SHAPE', `embeddingForward: ids[${t}]=${id} outside [0, ${V})`);
    out.set(wte.subarray(id * C, (id + 1) * C), t * C);
  }
}
