// The models a person can pick: the bundled demo models (served by the app under /models/, trained
// by tools/foundry) and suggested hub repos for users with internet. Same loader for both.
import { parseModelRef, type ModelSource } from './hub';

export interface BundledModel {
  name: string;
  title: string;
  role: 'base' | 'counterfactual' | 'scope';
}

export const BUNDLED_MODELS: readonly BundledModel[] = [
  { name: 'editscope-facts', title: 'Editscope facts — tiny Llama trained on world facts', role: 'base' },
];

/** A hub repo known to load here (one model.safetensors the engine runs), with the config.json keys
 *  that size it, so the Models view can say what it downloads and takes before any download. */
export interface KnownModel {
  repo: string;
  /** Needs its licence accepted on the hub and an access token (Llama, Gemma). */
  gated: boolean;
  /** Instruction-tuned: its tokenizer config has a chat_template. */
  chat: boolean;
  /** The published config.json's dims (only keys parseConfig reads); torch_dtype sizes the download. */
  config: Record<string, unknown> & { torch_dtype: 'bfloat16' | 'float32' };
  /** Its model.safetensors also holds lm_head.weight though the head is tied (left unread here): Qwen3's
   *  small models ship both, which is why their files are larger than their parameters (LlamaFactory
   *  issue 8289: a Qwen3 fine-tune saved tied is smaller than the original by the head). */
  storesTiedHead?: true;
}

// Dims copied from each repo's published config.json (huggingface.co/<repo>/blob/main/config.json);
// base and instruct models share them. All ship bf16 weights.
const SMOLLM2_135M = {
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  rms_norm_eps: 1e-5,
  rope_theta: 100000,
  max_position_embeddings: 8192,
  tie_word_embeddings: true,
  bos_token_id: 0,
  eos_token_id: 0,
  torch_dtype: 'bfloat16',
} as const;
const SMOLLM2_360M = {
  ...SMOLLM2_135M,
  hidden_size: 960,
  intermediate_size: 2560,
  num_hidden_layers: 32,
  num_attention_heads: 15,
  num_key_value_heads: 5,
} as const;
const QWEN25_05B = {
  model_type: 'qwen2',
  vocab_size: 151936,
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  max_position_embeddings: 32768,
  tie_word_embeddings: true,
  bos_token_id: 151643,
  eos_token_id: 151643,
  torch_dtype: 'bfloat16',
} as const;
const QWEN3_06B = {
  model_type: 'qwen3',
  vocab_size: 151936,
  hidden_size: 1024,
  intermediate_size: 3072,
  num_hidden_layers: 28,
  num_attention_heads: 16,
  num_key_value_heads: 8,
  head_dim: 128,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  max_position_embeddings: 40960,
  tie_word_embeddings: true,
  bos_token_id: 151643,
  eos_token_id: 151645,
  torch_dtype: 'bfloat16',
} as const;
const LLAMA32_1B = {
  model_type: 'llama',
  vocab_size: 128256,
  hidden_size: 2048,
  intermediate_size: 8192,
  num_hidden_layers: 16,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 64,
  rms_norm_eps: 1e-5,
  rope_theta: 500000,
  max_position_embeddings: 131072,
  tie_word_embeddings: true,
  rope_scaling: {
    rope_type: 'llama3',
    factor: 32,
    low_freq_factor: 1,
    high_freq_factor: 4,
    original_max_position_embeddings: 8192,
  },
  bos_token_id: 128000,
  eos_token_id: 128001,
  torch_dtype: 'bfloat16',
} as const;
const GEMMA3_270M = {
  model_type: 'gemma3_text',
  vocab_size: 262144,
  hidden_size: 640,
  intermediate_size: 2048,
  num_hidden_layers: 18,
  num_attention_heads: 4,
  num_key_value_heads: 1,
  head_dim: 256,
  query_pre_attn_scalar: 256,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  rope_local_base_freq: 10000,
  max_position_embeddings: 32768,
  sliding_window: 512,
  hidden_activation: 'gelu_pytorch_tanh',
  // five sliding layers, then one full, three times
  layer_types: Array.from({ length: 18 }, (_, i) => (i % 6 === 5 ? 'full_attention' : 'sliding_attention')),
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
} as const;

export const KNOWN_MODELS: readonly KnownModel[] = [
  { repo: 'HuggingFaceTB/SmolLM2-135M', gated: false, chat: false, config: SMOLLM2_135M },
  { repo: 'HuggingFaceTB/SmolLM2-135M-Instruct', gated: false, chat: true, config: SMOLLM2_135M },
  { repo: 'HuggingFaceTB/SmolLM2-360M', gated: false, chat: false, config: SMOLLM2_360M },
  { repo: 'HuggingFaceTB/SmolLM2-360M-Instruct', gated: false, chat: true, config: SMOLLM2_360M },
  { repo: 'Qwen/Qwen2.5-0.5B', gated: false, chat: false, config: QWEN25_05B },
  { repo: 'Qwen/Qwen2.5-0.5B-Instruct', gated: false, chat: true, config: QWEN25_05B },
  { repo: 'Qwen/Qwen3-0.6B', gated: false, chat: true, config: QWEN3_06B, storesTiedHead: true },
  { repo: 'meta-llama/Llama-3.2-1B', gated: true, chat: false, config: LLAMA32_1B },
  { repo: 'meta-llama/Llama-3.2-1B-Instruct', gated: true, chat: true, config: LLAMA32_1B },
  { repo: 'google/gemma-3-270m', gated: true, chat: false, config: GEMMA3_270M },
  { repo: 'google/gemma-3-270m-it', gated: true, chat: true, config: GEMMA3_270M },
];

/** Repos the hub field suggests. */
export const HUB_SUGGESTIONS: readonly string[] = KNOWN_MODELS.map((m) => m.repo);

/** Base URL of the bundled models inside the app (same HF layout as a hub repo). */
export const BUNDLED_BASE_URL = '/models';

export function bundledSource(name: string): ModelSource {
  return { kind: 'local', base: BUNDLED_BASE_URL, repo: name };
}

export const DEFAULT_MODEL: ModelSource = bundledSource('editscope-facts');

/** A sentence-embedding model on the hub (transformers.js feature extraction, q8): SERAC's scope model in
 *  embedding mode for a base model with no scope model trained for it. */
export const DEFAULT_SCOPE_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** SERAC's scope model (DESIGN §5): the bundled cross-encoder, trained with the bundled base model, or a
 *  sentence-embedding model whose threshold is calibrated per base model. */
export type ScopeChoice =
  | { readonly kind: 'cross-encoder'; readonly source: ModelSource; readonly reason: string }
  | { readonly kind: 'embedding'; readonly source: ModelSource; readonly reason: string };

/** SERAC's counterfactual model: another model (the bundled one trained for SERAC, or one the user
 *  picks; its form comes from its card and tokenizer, serac/counterfactual.ts counterfactualFor), or the
 *  base model itself with the edit in context (its chat template when it has one). */
export type CounterfactualChoice =
  | { readonly kind: 'model'; readonly source: ModelSource; readonly reason: string }
  | { readonly kind: 'base'; readonly reason: string };

export interface SeracCompanions {
  readonly scope: ScopeChoice;
  readonly counterfactual: CounterfactualChoice;
}

/** The user's choice of companions for a base model, as model refs (parseModelRef: "owner/name" or a
 *  URL), or BASE_COUNTERFACTUAL for the base model itself; unset means the default choice below. */
export interface CompanionPicks {
  readonly scopeModel?: string;
  readonly counterfactualModel?: string;
}

/** A counterfactual pick meaning the base model itself with the edit in context (no model ref is one
 *  word). */
export const BASE_COUNTERFACTUAL = 'base';

/** The bundled counterfactual and scope models (tools/foundry trains them with the base model). */
const SERAC_COMPANIONS = {
  base: 'editscope-facts',
  counterfactual: 'editscope-facts-counterfactual',
  scope: 'editscope-scope',
} as const;

function isBundledBase(base: ModelSource): boolean {
  return base.kind === 'local' && base.base === BUNDLED_BASE_URL && base.repo === SERAC_COMPANIONS.base;
}

/** SERAC's companions for `base`: the bundled base keeps the bundled ones (trained on the facts it was
 *  taught); any other base gets a hub sentence-embedding scope model, calibrated for it, and itself as
 *  the counterfactual with the edit in context, since the bundled ones know only the bundled facts. A
 *  pick of the user's replaces either, for any base. */
export function seracCompanionsFor(base: ModelSource, picks: CompanionPicks = {}): SeracCompanions {
  const bundled = isBundledBase(base);
  const scope: ScopeChoice = picks.scopeModel
    ? {
        kind: 'embedding',
        source: parseModelRef(picks.scopeModel),
        reason: 'you chose this sentence-embedding model; its threshold is calibrated for this base model',
      }
    : bundled
      ? {
          kind: 'cross-encoder',
          source: bundledSource(SERAC_COMPANIONS.scope),
          reason: 'trained with this base model on the facts it was taught; its threshold is on its card',
        }
      : {
          kind: 'embedding',
          source: parseModelRef(DEFAULT_SCOPE_MODEL),
          reason:
            'the bundled scope model knows only the bundled facts; a sentence-embedding model scores any ' +
            'text, its threshold calibrated for this base model',
        };
  const counterfactual: CounterfactualChoice =
    picks.counterfactualModel === BASE_COUNTERFACTUAL
      ? { kind: 'base', reason: 'you chose the base model itself, with the edit in context' }
      : picks.counterfactualModel
        ? {
            kind: 'model',
            source: parseModelRef(picks.counterfactualModel),
            reason: 'you chose this model to answer in the scope of an edit',
          }
        : bundled
          ? {
              kind: 'model',
              source: bundledSource(SERAC_COMPANIONS.counterfactual),
              reason: 'trained with this base model to answer from an edit',
            }
          : {
              kind: 'base',
              reason:
                'no counterfactual model was trained for this base model, so it answers itself with the edit ' +
                'in context',
            };
  return { scope, counterfactual };
}
