// The edit path for MEMOIR: one training sequence prepared once (layers below L and layer L up to
// the down_proj input a (T, H) never change while only the memory Wm trains), then any number of
// steps: forward from layer L's MLP output with the memory residual (added to down_proj's output,
// before gemma3's post-feedforward norm), cross-entropy on the target positions, backward to that
// sum and into dWm (C, H) via maskedMatmulBackward. Every family runs through the same layer.ts code.
// The final norm, the LM head and the top layer's MLP run on the S scored rows only (gathered with
// embeddingForward, the gradient scattered back with a one-hot matmul): an edit scores its 1-3 target
// tokens of ~20, and nothing but the final norm reads the top layer's MLP output, while its attention
// needs every row's keys and values. The head and the MLP are the largest matmuls of a step. Per row
// the arithmetic is the same as over all T rows, so losses and gradients are too.
// Not the optimizer, TopHash or mask bookkeeping: those belong to src/editors/memoir.

import type { Tensor } from '../backend';
import { EngineError } from '../errors';
import {
  allocActs,
  allocAttentionGrads,
  allocGrads,
  allocMlpGrads,
  attentionBlockBackward,
  attentionBlockForward,
  embedForward,
  freeActs,
  freeAttentionGrads,
  freeGrads,
  freeMlpGrads,
  layerBackward,
  mlpBackward,
  mlpOutBackward,
  mlpPreForward,
  mlpResidualForward,
  type LayerActs,
} from './layer';
import { headBackward, headForward } from './row-blocks';
import type { MemoryResidual, Transformer } from './transformer';

export interface EditStepOptions {
  /** Accumulate ∂loss/∂Wm into this (C, H) tensor; omit for a forward-only loss evaluation. */
  dwm?: Tensor;
  /** Scored positions the loss is averaged over; pass the batch total when a batch spans several
   *  passes (the edit prompt + augmented copies). Default: this pass's scored positions. */
  count?: number;
}

export class EditPass {
  private constructor(
    private readonly model: Transformer,
    readonly layer: number,
    readonly T: number,
    readonly scored: number, // targets >= 0
    private readonly owned: Tensor[], // ids, positions, targets, residual stream, final tensors
    private readonly prefix: LayerActs, // layers <= L; prefix.a is layer L's a, prefix.mlp its MLP output
    private readonly upper: LayerActs[], // layers L+1 .. L_total-1; the last one's MLP half (S) rows
    private readonly t: {
      positions: Tensor; // (T) i32
      xMidL: Tensor; // (T, C) layer L's residual after attention
      downL: Tensor; // (T, C) layer L's down_proj(a), fixed while only Wm trains
      xs: Tensor[]; // (T, C) the inputs of layers L+1.. (xs[0] = layer L's output; at least one)
      xMids: Tensor[]; // (T, C) residual after attention of layers L+1..
      rows: Tensor; // (S) i32 the scored positions
      select: Tensor; // (T, S) f32 one-hot, select[rows[s], s] = 1: scatters (S, C) rows back to (T, C)
      targets: Tensor; // (S) i32 the token to predict at each scored position
      xMidS: Tensor; // (S, C) the top layer's residual after attention at the scored positions
      xS: Tensor; // (S, C) the final norm's input at the scored positions
      xn: Tensor; // (S, C) final rmsnorm
      rstd: Tensor; // (S)
      logits: Tensor; // (S, V)
      probs: Tensor; // (S, V)
      dlogits: Tensor; // (S, V)
      losses: Tensor; // (S)
    },
  ) {}

  /** ids (T) the sequence; targets (T) i32, targets[t] = the token to predict after ids[0..t], -1 = unscored. */
  static async prepare(
    model: Transformer,
    ids: Int32Array,
    targets: Int32Array,
    layer: number,
  ): Promise<EditPass> {
    model.checkMemoryLayer(layer);
    model.checkContext('EditPass.prepare', ids.length);
    model.checkTokens('EditPass.prepare', ids);
    const b = model.backend;
    const cfg = model.config;
    const T = ids.length;
    if (targets.length !== T) {
      throw new EngineError('SHAPE', `EditPass.prepare: targets must be (T)=(${T}), got (${targets.length})`);
    }
    const rows = Int32Array.from(targets.keys()).filter((t) => targets[t] >= 0);
    const scored = rows.length;
    if (scored === 0) throw new EngineError('SHAPE', 'EditPass.prepare: no scored target positions');
    const owned: Tensor[] = [];
    const own = (t: Tensor) => (owned.push(t), t);
    const C = cfg.hiddenSize;
    const V = cfg.vocabSize;
    const idsT = own(b.upload([T], { dtype: 'i32', data: ids }));
    const positions = own(b.upload([T], { dtype: 'i32', data: Int32Array.from({ length: T }, (_, t) => t) }));
    const x = own(b.alloc([T, C]));
    const xMidL = own(b.alloc([T, C]));
    const downL = own(b.alloc([T, C]));
    const prefix = allocActs(b, cfg, T, T);
    try {
      embedForward(b, cfg, x, idsT, model.params.wte);
      for (let l = 0; l <= layer; l++) {
        const p = model.params.layers[l];
        attentionBlockForward(b, cfg, p, prefix, l === layer ? xMidL : x, x, positions, null);
        if (l === layer) break;
        mlpPreForward(b, cfg, p, prefix, x);
        b.matmulForward(prefix.mlp, prefix.a, p.down, null);
        mlpResidualForward(b, cfg, p, prefix, x, x);
      }
      const pL = model.params.layers[layer];
      mlpPreForward(b, cfg, pL, prefix, xMidL);
      b.matmulForward(downL, prefix.a, pL.down, null);
    } catch (e) {
      freeActs(b, prefix);
      for (const t of owned) b.free(t);
      throw e;
    }

    const nUpper = cfg.numLayers - layer - 1;
    const S = scored;
    const upper = Array.from({ length: nUpper }, (_, i) => allocActs(b, cfg, T, T, i === nUpper - 1 ? S : T));
    const select = new Float32Array(T * S);
    rows.forEach((t, s) => (select[t * S + s] = 1));
    const tensors = {
      positions,
      xMidL,
      downL,
      xs: Array.from({ length: Math.max(1, nUpper) }, () => own(b.alloc([T, C]))),
      xMids: Array.from({ length: nUpper }, () => own(b.alloc([T, C]))),
      rows: own(b.upload([S], { dtype: 'i32', data: rows })),
      select: own(b.upload([T, S], { dtype: 'f32', data: select })),
      targets: own(b.upload([S], { dtype: 'i32', data: rows.map((t) => targets[t]) })),
      xMidS: own(b.alloc([S, C])),
      xS: own(b.alloc([S, C])),
      xn: own(b.alloc([S, C])),
      rstd: own(b.alloc([S])),
      logits: own(b.alloc([S, V])),
      probs: own(b.alloc([S, V])),
      dlogits: own(b.alloc([S, V])),
      losses: own(b.alloc([S])),
    };
    return new EditPass(model, layer, T, scored, owned, prefix, upper, tensors);
  }

  /** Layer L's down_proj input a (T, H): what TopHash hashes. */
  get a(): Tensor {
    return this.prefix.a;
  }

  /** Mean cross-entropy over `count` positions of this pass's share (Σ losses / count). With
   *  opts.dwm, also accumulates its gradient into dwm; `residual` must then be given. */
  async step(residual: MemoryResidual | null, opts: EditStepOptions = {}): Promise<number> {
    const b = this.model.backend;
    const cfg = this.model.config;
    const { params } = this.model;
    const t = this.t;
    const count = opts.count ?? this.scored;
    if (!(count > 0))
      throw new EngineError('SHAPE', `EditPass.step: no scored target positions (count ${count})`);
    if (opts.dwm && !residual)
      throw new EngineError('SHAPE', 'EditPass.step: a gradient needs the memory residual');

    // Forward from layer L's MLP output: xs[0] = xMidL + [post norm](down_proj(a) + (a ⊙ mask) · Wmᵀ)
    const pL = params.layers[this.layer];
    b.scaleForward(this.prefix.mlp, t.downL, 1); // a copy: the memory adds to it below
    if (residual) b.maskedMatmulAccumulate(this.prefix.mlp, this.prefix.a, residual.wm, residual.cols);
    mlpResidualForward(b, cfg, pL, this.prefix, t.xs[0], t.xMidL);
    const top = this.upper.length - 1;
    for (let i = 0; i <= top; i++) {
      const p = params.layers[this.layer + 1 + i];
      const acts = this.upper[i];
      attentionBlockForward(b, cfg, p, acts, t.xMids[i], t.xs[i], t.positions, null);
      // The top layer's MLP, like the final norm after it, runs on the scored rows only: gather them.
      const [xMid, xOut] = i === top ? [t.xMidS, t.xS] : [t.xMids[i], t.xs[i + 1]];
      if (i === top) b.embeddingForward(t.xMidS, t.rows, t.xMids[i]);
      mlpPreForward(b, cfg, p, acts, xMid);
      b.matmulForward(acts.mlp, acts.a, p.down, null);
      mlpResidualForward(b, cfg, p, acts, xOut, xMid);
    }
    if (top < 0) b.embeddingForward(t.xS, t.rows, t.xs[0]); // no layer above L: gather its output
    b.rmsnormForward(t.xn, t.rstd, t.xS, params.norm, cfg.rmsNormEps);
    headForward(b, t.logits, t.xn, params.lmHead);
    b.crossentropySoftmaxForward(t.losses, t.probs, t.logits, t.targets);

    if (opts.dwm && residual) this.backward(residual, opts.dwm, count);
    const losses = await b.download(t.losses);
    return losses.reduce((s, x) => s + x, 0) / count;
  }

  private backward(residual: MemoryResidual, dwm: Tensor, count: number): void {
    const b = this.model.backend;
    const { params } = this.model;
    const t = this.t;
    const C = this.model.config.hiddenSize;
    const dx = b.alloc([this.T, C]); // (T, C) ∂loss/∂residual stream, walked down the layers
    const dmlp = b.alloc([this.T, C]); // (T, C) ∂loss/∂(layer L's MLP output before any post norm)
    const dxn = b.alloc([this.scored, C]);
    const dxS = b.alloc([this.scored, C]);
    try {
      b.crossentropySoftmaxBackward(t.dlogits, t.probs, t.targets, count);
      headBackward(b, dxn, t.dlogits, t.xn, params.lmHead);
      b.rmsnormBackward(dxS, null, dxn, t.xS, params.norm, t.rstd);
      // The scored rows are scattered back with select (zero elsewhere: the loss does not read them).
      if (this.upper.length === 0) b.matmulBackward(dx, null, null, t.select, t.xs[0], dxS);
      else this.upperBackward(dx, dxS);
      // dx is now ∂loss/∂(layer L's output); through the post norm, if any, to the memory's output.
      const dmem = mlpOutBackward(b, params.layers[this.layer], this.prefix, dmlp, dx);
      b.maskedMatmulBackward(dwm, dmem, this.prefix.a, residual.cols);
    } finally {
      for (const x of [dx, dmlp, dxn, dxS]) b.free(x);
    }
  }

  /** dx (T, C) = ∂loss/∂(layer L's output) from dxS (S, C) = ∂loss/∂(the final norm's input at the
   *  scored rows), down through the layers above L: the top one's MLP on the scored rows, as it ran. */
  private upperBackward(dx: Tensor, dxS: Tensor): void {
    const b = this.model.backend;
    const cfg = this.model.config;
    const { params } = this.model;
    const t = this.t;
    const top = this.upper.length - 1;
    const pTop = params.layers[this.layer + 1 + top];
    const dxMidS = b.alloc([this.scored, cfg.hiddenSize]);
    const topMlp = allocMlpGrads(b, cfg, this.scored);
    // Whole layers below the top need the MLP half over all T rows too; their scratch serves the top's attention.
    const whole = top > 0 ? allocGrads(b, cfg, this.T) : null;
    const attention = whole ?? allocAttentionGrads(b, cfg, this.T);
    try {
      mlpBackward(b, cfg, pTop, this.upper[top], topMlp, dxMidS, dxS, t.xMidS);
      b.matmulBackward(attention.dxMid, null, null, t.select, t.xMids[top], dxMidS);
      attentionBlockBackward(
        b,
        cfg,
        pTop,
        this.upper[top],
        attention,
        dx,
        attention.dxMid,
        t.xs[top],
        t.positions,
      );
      for (let i = top - 1; whole && i >= 0; i--) {
        const p = params.layers[this.layer + 1 + i];
        layerBackward(b, cfg, p, this.upper[i], whole, dx, dx, t.xs[i], t.xMids[i], t.positions);
      }
    } finally {
      b.free(dxMidS);
      freeMlpGrads(b, topMlp);
      if (whole) freeGrads(b, whole);
      else freeAttentionGrads(b, attention);
    }
  }

  free(): void {
    const b = this.model.backend;
    freeActs(b, this.prefix);
    for (const acts of this.upper) freeActs(b, acts);
    for (const t of this.owned) b.free(t);
  }
}
