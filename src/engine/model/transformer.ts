// The decoder of every supported family (src/engine/model/families.ts) for inference, written only against
// Backend: KV cache, prefill and decode through `forward`, the MEMOIR memory hook at one layer (added to
// down_proj's output, before any post-feedforward norm), and `activations` for TopHash. Batch is one
// sequence; a model's context is config.maxPositions (max_position_embeddings; sliding layers attend
// over their window of it, exactly). Not the edit backward (edit.ts) nor sampling (generate.ts).

import type { Backend, Tensor } from '../backend';
import { EngineError } from '../errors';
import type { ModelConfig } from './config';
import {
  allocActs,
  attentionBlockForward,
  embedForward,
  freeActs,
  mlpPreForward,
  mlpResidualForward,
} from './layer';
import { bufferLimit } from './memory-plan';
import { freeParams, type ModelParams } from './params';
import { headForward } from './row-blocks';

/** What MEMOIR adds at a layer's MLP output: (a ⊙ mask) · Wmᵀ. */
export interface MemoryResidual {
  wm: Tensor; // (C, H) f32
  cols: Tensor; // (k) i32 distinct column indices into H
}

/** MEMOIR's inference hook. At `layer`, `select` sees the down_proj input a (T, H) (not yet affected by
 *  the memory) and returns the residual to add there, or null to leave the layer untouched. */
export interface MemoryHook {
  layer: number;
  select(a: Tensor): Promise<MemoryResidual | null> | MemoryResidual | null;
}

export interface ForwardOptions {
  /** Continue this cache (past = cache.length) and append the new tokens to it; without one, the
   *  call attends only over its own tokens. */
  cache?: KVCache;
  /** (T) positions; default past, past+1, ... */
  positions?: Int32Array;
  memory?: MemoryHook | null;
  /** Return logits for every position (T, V) instead of the last one (1, V). */
  allLogits?: boolean;
}

/** Keys and values of every layer: k, v (L) × (maxT, NKV, HS). `length` rows are valid. Sliding layers
 *  keep every row too, not a ring of their window: simple and exact (attention masks the older keys),
 *  at the cost of memory a ring buffer would save on long contexts. */
export class KVCache {
  length = 0;
  readonly k: Tensor[];
  readonly v: Tensor[];

  constructor(
    private readonly backend: Backend,
    cfg: ModelConfig,
    readonly maxT: number,
  ) {
    const shape = [maxT, cfg.numKvHeads, cfg.headDim];
    this.k = Array.from({ length: cfg.numLayers }, () => backend.alloc(shape));
    this.v = Array.from({ length: cfg.numLayers }, () => backend.alloc(shape));
  }

  /** Forget the tokens; the memory stays allocated for the next sequence. */
  reset(): void {
    this.length = 0;
  }

  free(): void {
    for (const t of [...this.k, ...this.v]) this.backend.free(t);
  }
}

export class Transformer {
  constructor(
    readonly backend: Backend,
    readonly config: ModelConfig,
    readonly params: ModelParams,
  ) {}

  /** A cache for up to maxT tokens (default: the model's max_position_embeddings, at most 2048). */
  newCache(maxT = Math.min(this.config.maxPositions, 2048)): KVCache {
    return new KVCache(this.backend, this.config, maxT);
  }

  /** Logits (1, V) for the last of `ids` (T), or (T, V) with allLogits; extends `cache` by T. */
  async forward(ids: Int32Array, opts: ForwardOptions = {}): Promise<Float32Array> {
    const b = this.backend;
    const cfg = this.config;
    const T = ids.length;
    const cache = opts.cache ?? null;
    const past = cache?.length ?? 0;
    if (T === 0) throw new EngineError('SHAPE', 'forward: ids must hold at least one token, got 0');
    this.checkContext('forward', past + T);
    this.checkTokens('forward', ids);
    if (cache && past + T > cache.maxT) {
      throw new EngineError(
        'SHAPE',
        `forward: ${past} cached + ${T} new tokens exceed the KV cache's ${cache.maxT}`,
        'start a new conversation or shorten the prompt',
      );
    }
    this.checkMemoryLayer(opts.memory?.layer);
    const positions = opts.positions ?? Int32Array.from({ length: T }, (_, t) => past + t);
    if (positions.length !== T) {
      throw new EngineError('SHAPE', `forward: positions must be (T)=(${T}), got (${positions.length})`);
    }
    const owned: Tensor[] = [];
    const own = (t: Tensor) => (owned.push(t), t);
    const idsT = own(b.upload([T], { dtype: 'i32', data: ids }));
    const posT = own(b.upload([T], { dtype: 'i32', data: positions }));
    const x = own(b.alloc([T, cfg.hiddenSize])); // (T, C) residual stream, updated in place
    // Without a cache the call still needs one for attention: a temporary one of exactly T rows.
    const kv = cache ?? new KVCache(b, cfg, T);
    const acts = allocActs(b, cfg, T, past + T);
    try {
      embedForward(b, cfg, x, idsT, this.params.wte);
      for (let l = 0; l < cfg.numLayers; l++) {
        const p = this.params.layers[l];
        attentionBlockForward(b, cfg, p, acts, x, x, posT, { k: kv.k[l], v: kv.v[l], past });
        mlpPreForward(b, cfg, p, acts, x);
        b.matmulForward(acts.mlp, acts.a, p.down, null);
        if (opts.memory && opts.memory.layer === l) {
          const residual = await opts.memory.select(acts.a);
          if (residual) b.maskedMatmulAccumulate(acts.mlp, acts.a, residual.wm, residual.cols);
        }
        mlpResidualForward(b, cfg, p, acts, x, x);
      }
      const logits = await this.logits(x, opts.allLogits ?? false, own);
      // Only a completed call extends the cache; a failed one leaves stale rows past `length`.
      if (cache) cache.length = past + T;
      return logits;
    } finally {
      if (!cache) kv.free();
      freeActs(b, acts);
      for (const t of owned) b.free(t);
    }
  }

  /** Final norm + LM head over all rows of x (T, C), or over the last row only. All rows' logits (T, V)
   *  are computed in groups of rows whose logits one backend buffer holds (a 128 MiB binding takes 220
   *  rows of Qwen2.5's 151936 logits), each read back into one (T, V) array. */
  private async logits(x: Tensor, all: boolean, own: (t: Tensor) => Tensor): Promise<Float32Array> {
    const T = x.shape[0];
    const V = this.config.vocabSize;
    if (!all) return this.headRows(x, T - 1, 1, own);
    const group = Math.max(1, Math.floor(bufferLimit(this.backend.limits).bytes / (V * 4)));
    if (group >= T) return this.headRows(x, 0, T, own);
    const out = new Float32Array(T * V);
    for (let r = 0; r < T; r += group) out.set(await this.headRows(x, r, Math.min(group, T - r), own), r * V);
    return out;
  }

  /** Logits (N, V) of rows first..first+N-1 of x (T, C): final norm, then the LM head. */
  private async headRows(
    x: Tensor,
    first: number,
    N: number,
    own: (t: Tensor) => Tensor,
  ): Promise<Float32Array> {
    const b = this.backend;
    const [T, C] = x.shape;
    let rows = x;
    if (N < T) {
      // Row gather through the embedding op: "embed" ids first.. from the table x (T, C).
      rows = own(b.alloc([N, C]));
      const ids = Int32Array.from({ length: N }, (_, i) => first + i);
      b.embeddingForward(rows, own(b.upload([N], { dtype: 'i32', data: ids })), x);
    }
    const xn = own(b.alloc([N, C]));
    b.rmsnormForward(xn, own(b.alloc([N])), rows, this.params.norm, this.config.rmsNormEps);
    const logits = own(b.alloc([N, this.config.vocabSize]));
    headForward(b, logits, xn, this.params.lmHead);
    return b.download(logits);
  }

  /** The down_proj input a (T, H) of `layer` for `ids` (T) at positions 0..T-1; runs layers 0..layer only. */
  async activations(ids: Int32Array, layer: number): Promise<Float32Array> {
    this.checkMemoryLayer(layer);
    this.checkContext('activations', ids.length);
    this.checkTokens('activations', ids);
    const b = this.backend;
    const cfg = this.config;
    const T = ids.length;
    const idsT = b.upload([T], { dtype: 'i32', data: ids });
    const posT = b.upload([T], { dtype: 'i32', data: Int32Array.from({ length: T }, (_, t) => t) });
    const x = b.alloc([T, cfg.hiddenSize]);
    const acts = allocActs(b, cfg, T, T);
    try {
      embedForward(b, cfg, x, idsT, this.params.wte);
      for (let l = 0; l <= layer; l++) {
        const p = this.params.layers[l];
        attentionBlockForward(b, cfg, p, acts, x, x, posT, null);
        mlpPreForward(b, cfg, p, acts, x);
        if (l === layer) return await b.download(acts.a);
        b.matmulForward(acts.mlp, acts.a, p.down, null);
        mlpResidualForward(b, cfg, p, acts, x, x);
      }
      throw new EngineError('SHAPE', `activations: layer ${layer} not reached`);
    } finally {
      freeActs(b, acts);
      for (const t of [idsT, posT, x]) b.free(t);
    }
  }

  /** Refuses a sequence of `tokens` beyond the model's context, max_position_embeddings. */
  checkContext(place: string, tokens: number): void {
    const cfg = this.config;
    if (tokens <= cfg.maxPositions) return;
    throw new EngineError(
      'SHAPE',
      `${place}: ${tokens} tokens exceed the ${cfg.modelType} model's context of ${cfg.maxPositions} (max_position_embeddings)`,
      'shorten the prompt or start a new conversation',
    );
  }

  /** Refuses a token id outside the vocabulary: the gather would leave its row as it was. */
  checkTokens(place: string, ids: Int32Array): void {
    const V = this.config.vocabSize;
    const t = ids.findIndex((id) => id < 0 || id >= V);
    if (t < 0) return;
    throw new EngineError(
      'SHAPE',
      `${place}: ids[${t}]=${ids[t]} outside the ${this.config.modelType} model's vocabulary [0, ${V})`,
      'the tokenizer and the checkpoint do not match: load them from the same repo',
    );
  }

  checkMemoryLayer(layer: number | undefined): void {
    if (layer === undefined) return;
    const L = this.config.numLayers;
    if (!Number.isInteger(layer) || layer < 0 || layer >= L) {
      throw new EngineError('SHAPE', `transformer: memory layer ${layer} outside [0, ${L})`);
    }
  }

  free(): void {
    freeParams(this.backend, this.params);
  }
}
