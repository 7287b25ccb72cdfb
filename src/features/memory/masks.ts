// What the Memory view computes from MEMOIR's stored masks (each a sorted (k) list of columns of Wm, of H):
// how many edits use each column, the sharing summary, the E × E overlap matrix, and a new prompt's
// stored edits ranked by overlap with the τ gate. Pure; the masks come from the worker (memoirMasks),
// the overlaps of a new prompt from the engine's router (memoirPreviewMask).

/** A stored edit's mask as the view reads it. */
export interface MaskRow {
  readonly id: string;
  /** (k) sorted distinct columns in [0, H). */
  readonly cols: Int32Array;
}

/** counts[h]: how many of the masks contain column h (H). */
export function columnUse(H: number, masks: readonly MaskRow[]): Int32Array {
  const counts = new Int32Array(H);
  for (const { id, cols } of masks) {
    for (const c of cols) {
      if (!(c >= 0 && c < H))
        throw new RangeError(`memory view: edit ${id} has column ${c} outside [0, ${H})`);
      counts[c]++;
    }
  }
  return counts;
}

export interface Sharing {
  /** Columns at least one edit uses. */
  readonly used: number;
  /** The most edits any one column serves (0 with no edits). */
  readonly maxSharing: number;
  /** Edits per used column on average: E·k / used (NaN with no edits). */
  readonly meanPerUsed: number;
  /** Columns two or more edits use: where one edit's training moves another's memory. */
  readonly shared: number;
  /** k / H: the expected overlap of two unrelated random masks. */
  readonly randomFloor: number;
}

export function sharingOf(counts: Int32Array, k: number): Sharing {
  let used = 0;
  let shared = 0;
  let total = 0;
  let maxSharing = 0;
  for (const n of counts) {
    if (n > 0) used++;
    if (n > 1) shared++;
    total += n;
    maxSharing = Math.max(maxSharing, n);
  }
  return {
    used,
    maxSharing,
    meanPerUsed: used === 0 ? NaN : total / used,
    shared,
    randomFloor: k / counts.length,
  };
}

/** |a ∩ b| of two sorted column lists, by one merge. */
export function intersectionSize(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

/** (E, E) overlaps |mask_i ∩ mask_j| / k, row i for masks[i]; the diagonal is 1. */
export function overlapMatrix(masks: readonly MaskRow[], k: number): number[][] {
  return masks.map((a) => masks.map((b) => intersectionSize(a.cols, b.cols) / k));
}

export interface Collision {
  readonly id: string;
  readonly overlap: number;
  /** overlap ≥ τ: a prompt with this mask would open the memory; were it the best match, on this edit. */
  readonly fires: boolean;
}

/** The stored edits by overlap with a new prompt's mask, highest first; ties put the later edit first,
 *  as the router does (the most recent edit wins a tie). `overlaps` come in edit order. */
export function rankCollisions(
  overlaps: readonly { id: string; overlap: number }[],
  tau: number,
): Collision[] {
  return overlaps
    .map(({ id, overlap }, order) => ({ id, overlap, fires: overlap >= tau, order }))
    .sort((a, b) => b.overlap - a.overlap || b.order - a.order)
    .map(({ id, overlap, fires }) => ({ id, overlap, fires }));
}
