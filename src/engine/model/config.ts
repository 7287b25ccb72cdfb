// The decoder a model describes, in the dims and per-layer choices the engine runs (legend in
// src/engine/shapes.ts; what each family changes in families.ts). Parsing config.json into it is
// src/models/config.ts's job; this file is only the shape of the result.

import type { ModelType } from './families';
import type { RopeSpec } from './rope-scaling';

/** Attention of a layer: full causal, or causal over the last sliding_window tokens. */
export type LayerKind = 'full' | 'sliding';

export interface ModelConfig {
  modelType: ModelType;
  vocabSize: number; // V
  hiddenSize: number; // C
  intermediateSize: number; // H
  numLayers: number; // L
  numHeads: number; // NH
  numKvHeads: number; // NKV (GQA when < NH)
  headDim: number; // HS (C / NH unless the config or the family says otherwise)
  rmsNormEps: number;
  layerKinds: LayerKind[]; // (L)
  rope: Record<LayerKind, RopeSpec>; // each kind's RoPE; 'sliding' is unused without sliding layers
  /** Softmax scale of attention scores: head_dim^-0.5, or query_pre_attn_scalar^-0.5 (gemma3). */
  attnScale: number;
  /** sliding_window when some layer slides, else null. */
  slidingWindow: number | null;
  /** Longest context: max_position_embeddings (sliding layers attend over their window of it). */
  maxPositions: number;
  tieWordEmbeddings: boolean; // LM head reuses embed_tokens (V, C)
  qkvBias: boolean; // q/k/v_proj carry biases
  oBias: boolean; // o_proj carries a bias
  bosTokenId: number | null;
  eosTokenIds: number[];
}
