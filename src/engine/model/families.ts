// What each supported decoder family changes relative to Llama, read by config parsing (defaults,
// which keys exist), by the weight table (tensor names) and by the one transformer in
// src/engine/model (norm form, q/k norms, MLP activation, embedding scale, post norms).
// Not a model implementation: there is one forward and one edit backward for all families.
//
//   llama        the base: RMSNorm x·rstd·w, RoPE, SwiGLU; q/k/v/o biases only with attention_bias
//   qwen2        q/k/v biases always, never on o_proj
//   qwen3        RMSNorm over head_dim on q and k after the projection, before RoPE (q_norm/k_norm);
//                head_dim defaults to 128, not hidden/heads
//   gemma3_text  Gemma RMSNorm x·rstd·(1+w) everywhere (folded into the weights at load: exact);
//                q_norm/k_norm; embeddings × √hidden_size; GeGLU down(gelu_tanh(gate)·up); norms on
//                the attention output and the MLP output before each residual add; attention scale
//                query_pre_attn_scalar^-0.5; sliding and full layers, each kind with its own RoPE.
//                A sliding layer's query sees only the last sliding_window keys (itself included),
//                exactly as transformers masks them; full layers see every earlier key.

export type ModelType = 'llama' | 'qwen2' | 'qwen3' | 'gemma3_text';
export const SUPPORTED_MODEL_TYPES: readonly ModelType[] = ['llama', 'qwen2', 'qwen3', 'gemma3_text'];

export interface Family {
  /** q/k/v_proj biases: always (qwen2) or when config.json sets attention_bias. */
  qkvBias: 'always' | 'attention_bias';
  /** o_proj bias: never (qwen2) or when config.json sets attention_bias. */
  oBias: 'never' | 'attention_bias';
  /** RMSNorm (HS) on every head of q and k after the projection, before RoPE. */
  qkNorm: boolean;
  /** RMSNorm weight offset: out = x·rstd·(offset + w); Gemma stores w around 0. */
  normOffset: 0 | 1;
  /** The config key naming the MLP activation and the one value the engine runs. */
  activation: { key: 'hidden_act' | 'hidden_activation'; value: 'silu' | 'gelu_pytorch_tanh' };
  /** Embedding output × √hidden_size (the LM head reads the unscaled table). */
  embedScale: boolean;
  /** Norms on the attention output and on the MLP output, before each residual add. */
  postNorms: boolean;
  /** Attention softmax scale from query_pre_attn_scalar^-0.5 instead of head_dim^-0.5. */
  queryPreAttnScalar: boolean;
  /** Layer kinds: 'full' only, or sliding/full from layer_types or sliding_window_pattern. */
  slidingLayers: boolean;
  /** HF tensor name (after `model.layers.{i}.`) of the norm in front of the MLP. */
  preMlpNorm: string;
  /** transformers' config defaults where config.json may omit a key. */
  defaults: {
    headDim: number | null; // null: hidden_size / num_attention_heads
    ropeTheta: number; // full-attention layers
    slidingRopeTheta: number; // sliding layers (rope_local_base_freq)
    tieWordEmbeddings: boolean;
    maxPositions: number;
  };
}

const llama: Family = {
  qkvBias: 'attention_bias',
  oBias: 'attention_bias',
  qkNorm: false,
  normOffset: 0,
  activation: { key: 'hidden_act', value: 'silu' },
  embedScale: false,
  postNorms: false,
  queryPreAttnScalar: false,
  slidingLayers: false,
  preMlpNorm: 'post_attention_layernorm',
  defaults: {
    headDim: null,
    ropeTheta: 10000,
    slidingRopeTheta: 10000,
    tieWordEmbeddings: false,
    maxPositions: 2048,
  },
};

export const FAMILIES: Record<ModelType, Family> = {
  llama,
  qwen2: {
    ...llama,
    qkvBias: 'always',
    oBias: 'never',
    defaults: { ...llama.defaults, maxPositions: 32768 },
  },
  qwen3: {
    ...llama,
    qkNorm: true,
    defaults: { ...llama.defaults, headDim: 128, maxPositions: 32768 },
  },
  gemma3_text: {
    ...llama,
    qkNorm: true,
    normOffset: 1,
    activation: { key: 'hidden_activation', value: 'gelu_pytorch_tanh' },
    embedScale: true,
    postNorms: true,
    queryPreAttnScalar: true,
    slidingLayers: true,
    preMlpNorm: 'pre_feedforward_layernorm',
    defaults: {
      headDim: 256,
      ropeTheta: 1_000_000,
      slidingRopeTheta: 10_000,
      tieWordEmbeddings: true,
      maxPositions: 131072,
    },
  },
};
