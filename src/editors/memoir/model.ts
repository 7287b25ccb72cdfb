// The narrow model contract MEMOIR drives: down_proj inputs at one layer, forwards with the residual
// memory hooked in, and the memory's masked-column gradient. An adapter over src/engine/model implements
// it (engine-adapter.ts); tests use a small hand-differentiated model (toy-model.ts).
// Not a general model API: no sampling, no KV-cache handles, no weights access.

import type { PromptTarget } from '../../eval/teacher-forced';

/** The residual memory as one forward sees it: at `layer`, down_proj output += (a ⊙ mask) · wmᵀ with the
 *  mask keeping the columns in `cols`, at every position of the sequence. */
export interface MemoryHook {
  readonly layer: number;
  /** Wm (C, H), row-major. Read-only to the model. */
  readonly wm: Float32Array;
  /** Increases whenever wm's contents change, so an adapter may keep an uploaded copy between calls. */
  readonly revision: number;
  /** (k) sorted ascending column indices into H. */
  readonly cols: Int32Array;
}

/** One training sequence: ids = context ++ target; the loss scores the last `targetLength` tokens. */
export type EditSequence = PromptTarget;

export interface LossAndGrad {
  /** Mean cross-entropy over all target tokens of the batch. */
  readonly loss: number;
  /** d loss / d Wm on the masked columns: (C, k), column j belongs to cols[j]. */
  readonly grad: Float32Array;
  /** exp(−mean cross-entropy) over the first sequence's target tokens (the edit prompt itself): the
   *  geometric mean of p(target token), 1 when the edit is certain. */
  readonly targetProb: number;
}

export interface ModelDims {
  /** Decoder layers. */
  readonly layers: number;
  /** hidden_size. */
  readonly C: number;
  /** FFN width (intermediate_size). */
  readonly H: number;
  /** Vocabulary. */
  readonly V: number;
}

export interface EditableModel {
  /** Stable id (bundled name or hub repo + revision): memories and background stats are keyed by it. */
  readonly id: string;
  readonly dims: ModelDims;
  /** Token ids for text, BOS included when the tokenizer adds one. */
  encode(text: string): Int32Array;
  /** Token ids for a continuation of some prompt (no BOS); leading space as the caller gives it. */
  encodeContinuation(text: string): Int32Array;
  decode(ids: Int32Array): string;
  /** a (T, H): the down_proj input at `layer` for `ids`. The memory at `layer` never changes it. */
  downProjInput(ids: Int32Array, layer: number): Promise<Float32Array>;
  /** logits (T, V) for ids, with the memory hooked in when `hook` is not null. */
  logits(ids: Int32Array, hook: MemoryHook | null): Promise<Float32Array>;
  /** Greedy continuation of ids: up to maxNew new tokens, stopping after an EOS. */
  greedy(ids: Int32Array, maxNew: number, hook: MemoryHook | null): Promise<Int32Array>;
  /** Loss and masked-column gradient for a batch under `hook` (batch is a loop over sequences). */
  editLossAndGrad(batch: readonly EditSequence[], hook: MemoryHook): Promise<LossAndGrad>;
}
