// MEMOIR's residual memory Wm (C, H) and its per-edit bookkeeping: each edit records the exact change it
// made to its k columns (delta.ts: f16 or f32), so deleting it subtracts that change, and a column no live
// edit uses is reset to exactly 0 (so a memory emptied by deletions is bit-identical to a fresh one).
// Storage: E·C·k·2 bytes of f16 deltas (E·C·k·4 for an edit kept in f32).
// Not training (trainer.ts) nor routing (router.ts); plain host arrays the model reads through MemoryHook.

import { EngineError } from '../../engine/errors';
import { deltaLength, deltaValues, type Delta } from './delta';
import type { MemoryHook } from './model';

/** What one edit did to Wm: delta (C, k) added to the columns cols (k), column j of delta ↔ cols[j]. */
export interface EditDelta {
  readonly cols: Int32Array;
  readonly delta: Delta;
}

/** Wm (C, H) as the sum of the given edits' deltas, every other column exactly 0: the memory those edits
 *  alone would leave (each edit added its delta to the Wm of the edits before it, so the sum is that Wm
 *  when the edits come in slot order and none was deleted in between; else it differs in the last bits).
 *  Used to rebuild a stored memory that lost an edit or its own record; a memory read back whole is used
 *  as stored, bit-exactly. */
export function sumOfDeltas(C: number, H: number, deltas: readonly EditDelta[]): Float32Array {
  const wm = new Float32Array(C * H);
  const scratch = new Float32Array(C * (deltas[0]?.cols.length ?? 0)); // (C, k)
  for (const edit of deltas) {
    const { cols } = edit;
    const delta = deltaValues(edit.delta, scratch);
    const k = cols.length;
    for (let c = 0; c < C; c++) for (let j = 0; j < k; j++) wm[c * H + cols[j]] += delta[c * k + j];
  }
  return wm;
}

export class ResidualMemory {
  readonly C: number;
  readonly H: number;
  /** Wm (C, H), zero-initialised. Written only through this class so `revision` stays truthful. */
  readonly wm: Float32Array;
  private rev = 0;
  /** users[c]: live edits whose mask contains column c. */
  private readonly users: Int32Array;
  private readonly deltas = new Map<number, EditDelta>();

  constructor(C: number, H: number, wm?: Float32Array) {
    if (wm && wm.length !== C * H) {
      throw new EngineError(
        'SHAPE',
        `memoir memory: wm must be (C, H)=(${C}, ${H}), got ${wm.length} values`,
      );
    }
    this.C = C;
    this.H = H;
    this.wm = wm ?? new Float32Array(C * H);
    this.users = new Int32Array(H);
  }

  get revision(): number {
    return this.rev;
  }

  hook(layer: number, cols: Int32Array): MemoryHook {
    return { layer, wm: this.wm, revision: this.rev, cols };
  }

  /** Wm[:, cols] as (C, k). */
  gather(cols: Int32Array): Float32Array {
    const k = cols.length;
    const out = new Float32Array(this.C * k);
    for (let c = 0; c < this.C; c++) {
      const row = c * this.H;
      for (let j = 0; j < k; j++) out[c * k + j] = this.wm[row + cols[j]];
    }
    return out;
  }

  /** Wm[:, cols] = values (C, k). */
  scatter(cols: Int32Array, values: Float32Array): void {
    const k = cols.length;
    this.checkBlock(values.length, k);
    for (let c = 0; c < this.C; c++) {
      const row = c * this.H;
      for (let j = 0; j < k; j++) this.wm[row + cols[j]] = values[c * k + j];
    }
    this.rev++;
  }

  /** One SGD step on the masked columns: w ← w − lr·(g + wd·w), g (C, k) already clipped. Weight decay
   *  touches only these columns; see trainer.ts for why that deviates from the paper's optimizer. */
  sgdStep(cols: Int32Array, grad: Float32Array, lr: number, weightDecay: number): void {
    const k = cols.length;
    this.checkBlock(grad.length, k);
    for (let c = 0; c < this.C; c++) {
      const row = c * this.H;
      for (let j = 0; j < k; j++) {
        const w = this.wm[row + cols[j]];
        this.wm[row + cols[j]] = w - lr * (grad[c * k + j] + weightDecay * w);
      }
    }
    this.rev++;
  }

  /** Wm[:, cols] = before + delta, both (C, k), one f32 rounding per value: the memory an edit leaves
   *  when `delta` is what it stores (trainer.ts). */
  place(cols: Int32Array, before: Float32Array, delta: Delta): void {
    const values = deltaValues(delta);
    this.checkBlock(values.length, cols.length);
    this.scatter(
      cols,
      before.map((b, i) => b + values[i]),
    );
  }

  /** Register edit `slot`'s delta, already in Wm (place() put it there, or a stored memory holds it). */
  restore(slot: number, entry: EditDelta): void {
    if (this.deltas.has(slot))
      throw new EngineError('SHAPE', `memoir memory: slot ${slot} already has an edit`);
    this.checkBlock(deltaLength(entry.delta), entry.cols.length);
    for (const c of entry.cols) this.users[c]++;
    this.deltas.set(slot, entry);
  }

  delta(slot: number): EditDelta | undefined {
    return this.deltas.get(slot);
  }

  /** Subtract edit `slot`'s delta; columns left without a live edit become exactly 0. */
  remove(slot: number): void {
    const entry = this.deltas.get(slot);
    if (!entry) throw new EngineError('SHAPE', `memoir memory: no edit in slot ${slot}`);
    const { cols } = entry;
    const delta = deltaValues(entry.delta);
    const k = cols.length;
    for (const c of cols) this.users[c]--;
    for (let c = 0; c < this.C; c++) {
      const row = c * this.H;
      for (let j = 0; j < k; j++) {
        const h = cols[j];
        this.wm[row + h] = this.users[h] === 0 ? 0 : this.wm[row + h] - delta[c * k + j];
      }
    }
    this.deltas.delete(slot);
    this.rev++;
  }

  private checkBlock(length: number, k: number): void {
    if (length !== this.C * k) {
      throw new EngineError(
        'SHAPE',
        `memoir memory: block must be (C, k)=(${this.C}, ${k}), got ${length} values`,
      );
    }
  }
}
