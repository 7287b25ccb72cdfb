// A (rows, C) table stored as consecutive row blocks when one backend buffer cannot hold it: the
// embedding (also a tied LM head) and an untied LM head, e.g. Qwen2.5-0.5B's 544 MB f32 table against
// many adapters' 128 MiB storage-binding limit. How a table is cut (rowBlocks), the host slices that
// are uploaded (sliceRows), and its three uses over blocks: the gather (each id read from the block
// holding it), the head's logits (each block fills its vocabulary columns of one logits tensor, so
// softmax, top-k and cross-entropy see the whole vocabulary as before) and the head's backward (the
// hidden-state gradient is the sum over blocks). With one block each use is exactly the single op.
// Not the limits check (memory-plan.ts) nor the upload (params.ts).

import { QUANT_BLOCK, tensorBuffers, type Backend, type DType, type HostData, type Tensor } from '../backend';

/** Row counts of the blocks a (rows, C) `dtype` table is stored in so that none of its buffers (values,
 *  q8/q4 scales) exceeds `limit` bytes: as few blocks as possible, their sizes differing by at most one
 *  row; [rows] when it fits whole; null when one row alone does not fit. */
export function rowBlocks(rows: number, C: number, dtype: DType, limit: number): number[] | null {
  const perRow = Math.max(...tensorBuffers([1, C], dtype));
  if (perRow > limit) return null;
  const n = Math.ceil(rows / Math.floor(limit / perRow));
  return Array.from({ length: n }, (_, i) => Math.floor(rows / n) + (i < rows % n ? 1 : 0));
}

/** Rows first..first+rows-1 of a (·, C) table's host data, without a copy (quantized rows keep their
 *  block scales: C % QUANT_BLOCK == 0, so a row never shares a block with the next). */
export function sliceRows(host: HostData, C: number, first: number, rows: number): HostData {
  const [a, b] = [first * C, (first + rows) * C];
  switch (host.dtype) {
    case 'q8':
      return { dtype: 'q8', values: host.values.subarray(a, b), scales: scalesOf(host.scales, a, b) };
    case 'q4':
      return { dtype: 'q4', packed: host.packed.subarray(a / 2, b / 2), scales: scalesOf(host.scales, a, b) };
    case 'f16':
      return { dtype: 'f16', data: host.data.subarray(a, b) };
    case 'i32':
      return { dtype: 'i32', data: host.data.subarray(a, b) };
    default:
      return { dtype: 'f32', data: host.data.subarray(a, b) };
  }
}

function scalesOf(scales: Float32Array, a: number, b: number): Float32Array {
  return scales.subarray(a / QUANT_BLOCK, b / QUANT_BLOCK);
}

/** out (T, C) = table[ids], the table (V, C) in row blocks: each block writes the rows whose id it holds. */
export function gatherRows(b: Backend, out: Tensor, ids: Tensor, blocks: readonly Tensor[]): void {
  let first = 0;
  for (const w of blocks) {
    b.embeddingForward(out, ids, w, first);
    first += w.shape[0];
  }
}

/** logits (N, V) = x (N, C) · headᵀ, the head (V, C) in row blocks: each fills its columns. */
export function headForward(b: Backend, logits: Tensor, x: Tensor, blocks: readonly Tensor[]): void {
  let col = 0;
  for (const w of blocks) {
    b.matmulForward(logits, x, w, null, col);
    col += w.shape[0];
  }
}

/** dx (N, C) = dlogits (N, V) · head, overwritten: Σ over blocks of the block's columns of dlogits
 *  times its rows (each block's share computed apart, then added). */
export function headBackward(
  b: Backend,
  dx: Tensor,
  dlogits: Tensor,
  x: Tensor,
  blocks: readonly Tensor[],
): void {
  let part: Tensor | null = null; // (N, C) the share of blocks after the first
  try {
    let col = 0;
    for (const w of blocks) {
      const dst = col === 0 ? dx : (part ??= b.alloc(dx.shape));
      b.matmulBackward(dst, null, null, dlogits, x, w, col);
      if (dst !== dx) b.addForward(dx, dx, dst);
      col += w.shape[0];
    }
  } finally {
    if (part) b.free(part);
  }
}
