// EditableModel over the engine's Transformer (src/engine/model) on any Backend: TopHash activations,
// forwards and greedy generation with the memory residual, and the masked-column gradient via EditPass.
// Keeps Wm uploaded between calls (re-written only when the memory's revision changes) and the edit
// batch's EditPasses prepared across the steps of one edit. Not the tokenizer: a TextCodec is passed in.

import type { Tensor } from '../../engine/backend';
import { EditPass } from '../../engine/model/edit';
import { generate } from '../../engine/model/generate';
import type { MemoryResidual, Transformer } from '../../engine/model/transformer';
import type { TextCodec } from '../../models/codec';
import type { EditableModel, EditSequence, LossAndGrad, MemoryHook, ModelDims } from './model';

export class EngineEditableModel implements EditableModel {
  readonly dims: ModelDims;
  private wm: Tensor | null = null; // (C, H) device copy of the memory
  /** Which host memory and revision the device copy holds (two editors may share one adapter). */
  private wmSource: { wm: Float32Array; revision: number } | null = null;
  /** The batch whose passes are prepared: trainEdit passes the same array on every step of one edit. */
  private prepared: { batch: readonly EditSequence[]; layer: number; passes: EditPass[] } | null = null;

  constructor(
    readonly id: string,
    private readonly model: Transformer,
    private readonly codec: TextCodec,
  ) {
    const c = model.config;
    this.dims = { layers: c.numLayers, C: c.hiddenSize, H: c.intermediateSize, V: c.vocabSize };
  }

  encode(text: string): Int32Array {
    return this.codec.encode(text, true);
  }

  encodeContinuation(text: string): Int32Array {
    return this.codec.encode(text, false);
  }

  decode(ids: Int32Array): string {
    return this.codec.decode(ids);
  }

  downProjInput(ids: Int32Array, layer: number): Promise<Float32Array> {
    return this.model.activations(ids, layer);
  }

  async logits(ids: Int32Array, hook: MemoryHook | null): Promise<Float32Array> {
    return this.withResidual(hook, (residual) =>
      this.model.forward(ids, {
        allLogits: true,
        memory: residual && hook ? { layer: hook.layer, select: () => residual } : null,
      }),
    );
  }

  async greedy(ids: Int32Array, maxNew: number, hook: MemoryHook | null): Promise<Int32Array> {
    const out = await this.withResidual(hook, (residual) =>
      generate(this.model, ids, {
        maxNewTokens: maxNew,
        memory: residual && hook ? { layer: hook.layer, select: () => residual } : null,
      }),
    );
    return Int32Array.from(out.tokens);
  }

  async editLossAndGrad(batch: readonly EditSequence[], hook: MemoryHook): Promise<LossAndGrad> {
    const b = this.model.backend;
    const { C, H } = this.dims;
    const passes = await this.passesFor(batch, hook.layer);
    const count = batch.reduce((n, s) => n + s.targetLength, 0);
    const dwm = b.alloc([C, H]);
    try {
      return await this.withResidual(hook, async (residual) => {
        let loss = 0;
        let firstLoss = 0;
        for (const [i, pass] of passes.entries()) {
          const share = await pass.step(residual, { dwm, count });
          loss += share;
          if (i === 0) firstLoss = (share * count) / batch[0].targetLength;
        }
        const full = await b.download(dwm);
        const k = hook.cols.length;
        const grad = new Float32Array(C * k);
        for (let c = 0; c < C; c++) for (let j = 0; j < k; j++) grad[c * k + j] = full[c * H + hook.cols[j]];
        return { loss, grad, targetProb: Math.exp(-firstLoss) };
      });
    } finally {
      b.free(dwm);
    }
  }

  /** Frees the device copies (Wm, prepared passes); the Transformer stays the caller's. */
  dispose(): void {
    this.releasePasses();
    if (this.wm) this.model.backend.free(this.wm);
    this.wm = null;
    this.wmSource = null;
  }

  private async passesFor(batch: readonly EditSequence[], layer: number): Promise<EditPass[]> {
    if (this.prepared?.batch === batch && this.prepared.layer === layer) return this.prepared.passes;
    this.releasePasses();
    const passes: EditPass[] = [];
    for (const seq of batch) {
      const T = seq.ids.length;
      // targets[t] = the token after position t, scored only on the target's positions.
      const targets = new Int32Array(T).fill(-1);
      for (let t = T - 1 - seq.targetLength; t < T - 1; t++) targets[t] = seq.ids[t + 1];
      passes.push(await EditPass.prepare(this.model, seq.ids, targets, layer));
    }
    this.prepared = { batch, layer, passes };
    return passes;
  }

  private releasePasses(): void {
    for (const p of this.prepared?.passes ?? []) p.free();
    this.prepared = null;
  }

  /** Runs `fn` with the hook's residual on the backend (null = no memory), freeing the cols tensor after. */
  private async withResidual<R>(
    hook: MemoryHook | null,
    fn: (r: MemoryResidual | null) => Promise<R>,
  ): Promise<R> {
    if (!hook) return fn(null);
    const b = this.model.backend;
    const { C, H } = this.dims;
    if (!this.wm) this.wm = b.alloc([C, H]);
    if (this.wmSource?.wm !== hook.wm || this.wmSource.revision !== hook.revision) {
      b.write(this.wm, hook.wm);
      this.wmSource = { wm: hook.wm, revision: hook.revision };
    }
    const cols = b.upload([hook.cols.length], { dtype: 'i32', data: hook.cols });
    try {
      return await fn({ wm: this.wm, cols });
    } finally {
      b.free(cols);
    }
  }
}
