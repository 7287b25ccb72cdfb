// MEMOIR's router: the stored edit masks and the best-overlap search with the τ gate.
// Masks are bitsets packed row after row (bitsets.ts), so a query is E·⌈H/128⌉ SIMD AND + popcount
// steps — independent of how masks cluster (an inverted index slows down on hot columns most edits share).
// Not the memory (memory.ts) nor TopHash (tophash.ts).

import { EngineError } from '../../engine/errors';
import { BitsetRows } from './bitsets';

/** The edit a query routes to, with its overlap |q ∩ e| / k. */
export interface Route {
  readonly slot: number;
  readonly overlap: number;
}

export class MaskRouter {
  readonly H: number;
  readonly k: number;
  /** Bitsets of the live masks, rows packed densely; rowSlot[row] names each row's edit. */
  private readonly bits: BitsetRows;
  private rowSlot = new Int32Array(64);
  private rows = 0;
  private readonly rowOf = new Map<number, number>();
  private readonly masks = new Map<number, Int32Array>();
  private next = 0;

  /** `simd: false` forces the plain-JS overlap loop (tests compare both). */
  constructor(H: number, k: number, opts: { simd?: boolean } = {}) {
    if (!(Number.isInteger(k) && k >= 1 && k <= H)) {
      throw new EngineError('SHAPE', `memoir router: k must be an integer in [1, H=${H}], got ${k}`);
    }
    this.H = H;
    this.k = k;
    this.bits = new BitsetRows(H, opts.simd ?? true);
  }

  /** Whether queries run the WebAssembly SIMD kernel. */
  get simd(): boolean {
    return this.bits.simd;
  }

  /** The slot the next `add` without an explicit slot takes. */
  get nextSlot(): number {
    return this.next;
  }

  get size(): number {
    return this.masks.size;
  }

  /** The slots in insertion order. */
  slots(): number[] {
    return [...this.masks.keys()];
  }

  mask(slot: number): Int32Array {
    const m = this.masks.get(slot);
    if (!m) throw new EngineError('SHAPE', `memoir router: no edit in slot ${slot}`);
    return m;
  }

  /** Store a mask; returns its slot. Slots only grow, so within a session a slot names one edit. */
  add(cols: Int32Array, slot = this.next): number {
    this.checkMask(cols);
    if (this.masks.has(slot) || slot < 0 || !Number.isInteger(slot)) {
      throw new EngineError('SHAPE', `memoir router: slot ${slot} is taken or invalid`);
    }
    if (this.rows === this.rowSlot.length) {
      const rowSlot = new Int32Array(this.rowSlot.length * 2);
      rowSlot.set(this.rowSlot);
      this.rowSlot = rowSlot;
    }
    const row = this.rows++;
    this.bits.reserve(this.rows);
    this.bits.setRow(row, cols);
    this.rowSlot[row] = slot;
    this.rowOf.set(slot, row);
    this.masks.set(slot, cols);
    this.next = Math.max(this.next, slot + 1);
    return slot;
  }

  remove(slot: number): void {
    this.mask(slot);
    const row = this.rowOf.get(slot)!;
    const last = --this.rows;
    // Keep rows dense: move the last row into the hole (ties are broken by slot, not by row order).
    if (row !== last) {
      this.bits.moveRow(last, row);
      this.rowSlot[row] = this.rowSlot[last];
      this.rowOf.set(this.rowSlot[row], row);
    }
    this.rowOf.delete(slot);
    this.masks.delete(slot);
  }

  /** The stored edit with the largest overlap with q (ties → the most recent edit), or null when empty. */
  best(q: Int32Array): Route | null {
    this.checkMask(q);
    const counts = this.bits.overlapCounts(q, this.rows);
    const { rowSlot } = this;
    let bestCount = -1;
    let bestSlot = -1;
    for (let r = 0; r < counts.length; r++) {
      const n = counts[r];
      if (n > bestCount || (n === bestCount && rowSlot[r] > bestSlot)) {
        bestCount = n;
        bestSlot = rowSlot[r];
      }
    }
    return bestSlot < 0 ? null : { slot: bestSlot, overlap: bestCount / this.k };
  }

  /** The τ gate: the best edit when its overlap is at least tau, else null (the memory stays off). */
  route(q: Int32Array, tau: number): Route | null {
    const best = this.best(q);
    return best && best.overlap >= tau ? best : null;
  }

  /** Overlap of q with every stored mask, by slot (for the overlap-distribution reports). */
  overlaps(q: Int32Array): Map<number, number> {
    const out = new Map<number, number>();
    const inQ = new Uint8Array(this.H);
    for (const c of q) inQ[c] = 1;
    for (const [slot, cols] of this.masks) {
      let n = 0;
      for (const c of cols) n += inQ[c];
      out.set(slot, n / this.k);
    }
    return out;
  }

  private checkMask(cols: Int32Array): void {
    if (cols.length !== this.k) {
      throw new EngineError('SHAPE', `memoir router: mask must be (k)=(${this.k}), got (${cols.length})`);
    }
    for (let j = 0; j < cols.length; j++) {
      if (cols[j] < 0 || cols[j] >= this.H || (j > 0 && cols[j] <= cols[j - 1])) {
        throw new EngineError(
          'SHAPE',
          `memoir router: mask must be sorted distinct columns in [0, ${this.H}), bad at [${j}]`,
        );
      }
    }
  }
}
