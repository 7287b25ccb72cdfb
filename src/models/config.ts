// Parses a Hugging Face `config.json` of a llama, qwen2, qwen3 or gemma3_text decoder into the dims and
// per-layer choices the engine uses (legend in src/engine/shapes.ts; what each family changes in
// src/engine/model/families.ts). Both transformers v4 keys (rope_theta, rope_scaling, rope_local_base_freq) and v5
// `rope_parameters` (flat, or keyed by layer type for gemma3) are read. Anything the engine cannot run
// exactly (other model types or RoPE types, MLP biases, softcapping, out-of-bounds sizes) is refused with
// a LOAD error naming the key and its value, so a model never loads and then computes something else.
// Not a tokenizer config.

import { EngineError } from '../engine/errors';
import type { LayerKind, ModelConfig } from '../engine/model/config';
import { FAMILIES, SUPPORTED_MODEL_TYPES, type Family, type ModelType } from '../engine/model/families';
import { ROPE_TYPES, type RopeSpec } from '../engine/model/rope-scaling';

/** Generous bounds: every shipped model fits, a corrupt or hostile config is refused before any
 *  weight is looked at (a million layers would otherwise walk a million-entry tensor table). */
export const CONFIG_LIMITS = {
  numLayers: 1024,
  numHeads: 1024,
  hiddenSize: 65536,
  intermediateSize: 1 << 20,
  headDim: 1024,
  vocabSize: 1 << 22,
  maxPositions: 1 << 24,
  rmsNormEps: 1e-2,
  ropeTheta: 1e12,
  ropeFactor: 1e6,
} as const;

type Json = Record<string, unknown>;

function fail(source: string, problem: string, hint?: string): never {
  throw new EngineError('LOAD', `config: ${source}: ${problem}`, hint);
}

// JSON.stringify writes NaN and Infinity as null: name them.
const show = (v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v));

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads keys of one JSON object; `path` prefixes key names in messages (e.g. "rope_parameters."). */
class Reader {
  constructor(
    readonly obj: Json,
    readonly source: string,
    readonly path = '',
  ) {}

  /** The value, with null read as absent (transformers treats an explicit null as the default). */
  get(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? (this.obj[key] ?? undefined) : undefined;
  }

  fail(key: string, problem: string, hint?: string): never {
    fail(this.source, `"${this.path}${key}" ${problem}, got ${show(this.get(key))}`, hint);
  }

  /** An integer in [1, max]. */
  int(key: string, max: number, fallback?: number): number {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
      this.fail(key, `must be an integer in [1, ${max}]`);
    }
    return v;
  }

  /** A finite number in (0, max]. */
  num(key: string, max: number, fallback?: number): number {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'number' || !(v > 0 && v <= max)) this.fail(key, `must be a number in (0, ${max}]`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key) ?? fallback;
    if (typeof v !== 'boolean') this.fail(key, 'must be true or false');
    return v;
  }

  /** An object, or null/absent → undefined. */
  object(key: string): Reader | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(key, 'must be an object or null');
    return new Reader(v, this.source, `${this.path}${key}.`);
  }

  /** Refuses a key whose value is set to anything but `allowed` (absent and null always pass). */
  only(key: string, allowed: unknown, problem: string, hint?: string): void {
    const v = this.get(key);
    if (v !== undefined && v !== allowed) this.fail(key, problem, hint);
  }
}

const ROPE_KEYS = [
  'rope_type',
  'type',
  'rope_theta',
  'factor',
  'low_freq_factor',
  'high_freq_factor',
  'original_max_position_embeddings',
  'partial_rotary_factor',
];

/** One rope dict (v4 rope_scaling, v5 rope_parameters or one of its per-layer-type entries). */
function ropeSpec(r: Reader | undefined, theta: number, maxPositions: number, at: Reader): RopeSpec {
  const rope = r ?? new Reader({}, at.source, at.path);
  const unknown = Object.keys(rope.obj).find((k) => !ROPE_KEYS.includes(k));
  if (unknown !== undefined) rope.fail(unknown, 'is not a RoPE setting the engine runs');
  const th = rope.get('rope_theta') === undefined ? theta : rope.num('rope_theta', CONFIG_LIMITS.ropeTheta);
  const typeKey = rope.get('rope_type') !== undefined ? 'rope_type' : 'type';
  const type = rope.get(typeKey) ?? 'default';
  if (!ROPE_TYPES.includes(type as RopeSpec['type'])) {
    rope.fail(typeKey, `is not supported (supported: ${ROPE_TYPES.join(', ')})`);
  }
  if (rope.get('partial_rotary_factor') !== undefined && rope.get('partial_rotary_factor') !== 1) {
    rope.fail('partial_rotary_factor', 'is not supported: RoPE must rotate the whole head');
  }
  if (type === 'default') return { type, theta: th };
  const factor = rope.num('factor', CONFIG_LIMITS.ropeFactor);
  if (type === 'linear') return { type, theta: th, factor };
  const lowFreqFactor = rope.num('low_freq_factor', CONFIG_LIMITS.ropeFactor);
  const highFreqFactor = rope.num('high_freq_factor', CONFIG_LIMITS.ropeFactor);
  if (!(highFreqFactor > lowFreqFactor)) {
    rope.fail('high_freq_factor', `must exceed low_freq_factor ${lowFreqFactor}`);
  }
  const originalMaxPositions = rope.int(
    'original_max_position_embeddings',
    CONFIG_LIMITS.maxPositions,
    maxPositions,
  );
  return { type: 'llama3', theta: th, factor, lowFreqFactor, highFreqFactor, originalMaxPositions };
}

/** Each layer kind's RoPE, from v4 top-level keys or v5 rope_parameters. transformers' precedence:
 *  rope_scaling replaces rope_parameters, and theta inside the dict wins over a top-level rope_theta. */
function ropeSpecs(cfg: Reader, family: Family, maxPositions: number): Record<LayerKind, RopeSpec> {
  const theta = cfg.num('rope_theta', CONFIG_LIMITS.ropeTheta, family.defaults.ropeTheta);
  const scaling = cfg.object('rope_scaling');
  const params = cfg.object('rope_parameters');
  if (!family.slidingLayers) {
    const full = ropeSpec(scaling ?? params, theta, maxPositions, cfg);
    return { full, sliding: full };
  }
  // gemma3: v5 keys rope_parameters by layer type; a flat dict (or v4 rope_scaling) is the full layers'.
  const keyed =
    params !== undefined &&
    Object.keys(params.obj).length > 0 &&
    Object.keys(params.obj).every((k) => k === 'full_attention' || k === 'sliding_attention');
  const localTheta = cfg.num(
    'rope_local_base_freq',
    CONFIG_LIMITS.ropeTheta,
    family.defaults.slidingRopeTheta,
  );
  if (keyed) {
    if (scaling) fail(cfg.source, 'both rope_scaling and rope_parameters keyed by layer type are set');
    return {
      full: ropeSpec(params.object('full_attention'), theta, maxPositions, params),
      sliding: ropeSpec(params.object('sliding_attention'), localTheta, maxPositions, params),
    };
  }
  return {
    full: ropeSpec(scaling ?? params, theta, maxPositions, cfg),
    sliding: { type: 'default', theta: localTheta },
  };
}

/** Layer kinds from layer_types (v4.5x+, v5) or the older sliding_window_pattern (every n-th layer full). */
function layerKinds(cfg: Reader, family: Family, L: number): LayerKind[] {
  const types = cfg.get('layer_types');
  if (types !== undefined) {
    const allowed = family.slidingLayers ? ['full_attention', 'sliding_attention'] : ['full_attention'];
    if (!Array.isArray(types) || types.length !== L || !types.every((t) => allowed.includes(t as string))) {
      cfg.fail('layer_types', `must list ${L} layers, each one of ${allowed.join(', ')}`);
    }
    return types.map((t) => (t === 'sliding_attention' ? 'sliding' : 'full'));
  }
  if (!family.slidingLayers) return Array<LayerKind>(L).fill('full');
  const pattern = cfg.int('sliding_window_pattern', CONFIG_LIMITS.numLayers, 6);
  return Array.from({ length: L }, (_, i) => ((i + 1) % pattern === 0 ? 'full' : 'sliding'));
}

function tokenIds(r: Reader, key: string, V: number): number[] {
  const v = r.get(key);
  const ids = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!ids.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < V)) {
    r.fail(key, `must be token ids in [0, ${V})`);
  }
  return ids as number[];
}

/** `source` names the file in messages, e.g. "/models/editscope-facts/config.json". */
export function parseConfig(json: unknown, source: string): ModelConfig {
  if (!isObject(json)) fail(source, 'expected a JSON object');
  const cfg = new Reader(json, source);
  const modelType = cfg.get('model_type');
  if (!SUPPORTED_MODEL_TYPES.includes(modelType as ModelType)) {
    cfg.fail(
      'model_type',
      `is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
      modelType === 'gemma3'
        ? 'a multimodal Gemma 3 checkpoint; pick a text-only one (model_type gemma3_text, e.g. gemma-3-1b-it)'
        : 'pick a Llama-family (SmolLM2, Llama 3.2), Qwen2/Qwen3 or Gemma 3 text model',
    );
  }
  const family = FAMILIES[modelType as ModelType];
  const act = family.activation;
  cfg.only(act.key, act.value, `is not supported, only "${act.value}"`);
  cfg.only('mlp_bias', false, 'is not supported: the MLP projections must be bias-free');
  cfg.only('use_sliding_window', false, 'is not supported: attention is always full causal here');
  cfg.only('attn_logit_softcapping', undefined, 'is not supported: attention logits must not be softcapped');
  cfg.only('final_logit_softcapping', undefined, 'is not supported: logits must not be softcapped');
  cfg.only('use_bidirectional_attention', false, 'is not supported: attention must be causal');

  const L = CONFIG_LIMITS;
  const hiddenSize = cfg.int('hidden_size', L.hiddenSize);
  const numHeads = cfg.int('num_attention_heads', L.numHeads);
  const numKvHeads = cfg.int('num_key_value_heads', numHeads, numHeads);
  if (numHeads % numKvHeads !== 0) {
    fail(source, `num_attention_heads ${numHeads} must be a multiple of num_key_value_heads ${numKvHeads}`);
  }
  const inferred = family.defaults.headDim ?? hiddenSize / numHeads;
  const headDim = cfg.int('head_dim', L.headDim, Number.isInteger(inferred) ? inferred : undefined);
  if (headDim % 2 !== 0) cfg.fail('head_dim', 'must be even for RoPE');
  const vocabSize = cfg.int('vocab_size', L.vocabSize);
  const numLayers = cfg.int('num_hidden_layers', L.numLayers);
  const kinds = layerKinds(cfg, family, numLayers);
  const sliding = kinds.includes('sliding');
  const maxPositionEmbeddings = cfg.int(
    'max_position_embeddings',
    L.maxPositions,
    family.defaults.maxPositions,
  );
  const slidingWindow = sliding ? cfg.int('sliding_window', L.maxPositions, 4096) : null;
  const attentionBias = cfg.bool('attention_bias', false);
  const attnScale = family.queryPreAttnScalar
    ? cfg.num('query_pre_attn_scalar', L.maxPositions, 256) ** -0.5
    : headDim ** -0.5;
  return {
    modelType: modelType as ModelType,
    vocabSize,
    hiddenSize,
    intermediateSize: cfg.int('intermediate_size', L.intermediateSize),
    numLayers,
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: cfg.num('rms_norm_eps', L.rmsNormEps, 1e-6),
    layerKinds: kinds,
    rope: ropeSpecs(cfg, family, maxPositionEmbeddings),
    attnScale,
    slidingWindow,
    maxPositions: maxPositionEmbeddings,
    tieWordEmbeddings: cfg.bool('tie_word_embeddings', family.defaults.tieWordEmbeddings),
    qkvBias: family.qkvBias === 'always' || attentionBias,
    oBias: family.oBias === 'attention_bias' && attentionBias,
    bosTokenId: tokenIds(cfg, 'bos_token_id', vocabSize)[0] ?? null,
    eosTokenIds: tokenIds(cfg, 'eos_token_id', vocabSize),
  };
}

/** generation_config.json may list more stop tokens than config.json (chat models); merge them. */
export function withGenerationConfig(cfg: ModelConfig, generationConfig: unknown): ModelConfig {
  const gen = new Reader(isObject(generationConfig) ? generationConfig : {}, 'generation_config.json');
  const eos = [...new Set([...cfg.eosTokenIds, ...tokenIds(gen, 'eos_token_id', cfg.vocabSize)])];
  const bos = tokenIds(gen, 'bos_token_id', cfg.vocabSize)[0] ?? cfg.bosTokenId;
  return { ...cfg, eosTokenIds: eos, bosTokenId: bos };
}
