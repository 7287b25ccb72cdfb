// Parses a Hugging Face `config.json` of a Llama- or Qwen2-family decoder into the dims the engine
// uses (legend in src/engine/shapes.ts). Anything the engine does not implement (other model types,
// rope scaling, sliding windows, MLP biases, other activations) is refused with a LOAD error here,
// so a model never loads and then computes something subtly different. Not a tokenizer config.

import { EngineError } from '../engine/errors';

export type ModelType = 'llama' | 'qwen2';
export const SUPPORTED_MODEL_TYPES: readonly ModelType[] = ['llama', 'qwen2'];

export interface ModelConfig {
  modelType: ModelType;
  vocabSize: number; // V
  hiddenSize: number; // C
  intermediateSize: number; // H
  numLayers: number; // L
  numHeads: number; // NH
  numKvHeads: number; // NKV (GQA when < NH)
  headDim: number; // HS (usually C / NH; Llama configs may set it explicitly)
  rmsNormEps: number;
  ropeTheta: number;
  maxPositions: number; // max_position_embeddings: the KV cache never grows past it
  tieWordEmbeddings: boolean; // LM head reuses embed_tokens (V, C)
  qkvBias: boolean; // q/k/v_proj carry biases (always for qwen2; llama when attention_bias)
  oBias: boolean; // o_proj carries a bias (llama attention_bias only)
  bosTokenId: number | null;
  eosTokenIds: number[];
}

type Json = Record<string, unknown>;

function fail(source: string, problem: string, hint?: string): never {
  throw new EngineError('LOAD', `config: ${source}: ${problem}`, hint);
}

function int(cfg: Json, key: string, source: string, fallback?: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    fail(source, `"${key}" must be a positive integer, got ${JSON.stringify(cfg[key])}`);
  }
  return v;
}

function num(cfg: Json, key: string, source: string, fallback: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !(v > 0))
    fail(source, `"${key}" must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function tokenIds(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

/** `source` names the file in messages, e.g. "/models/editscope-facts/config.json". */
export function parseConfig(json: unknown, source: string): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(source, 'expected a JSON object');
  const cfg = json as Json;
  const modelType = cfg.model_type;
  if (!SUPPORTED_MODEL_TYPES.includes(modelType as ModelType)) {
    fail(
      source,
      `model_type ${JSON.stringify(modelType)} is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
      'pick a Llama-family (SmolLM2, TinyLlama) or Qwen2-family (Qwen2.5) model',
    );
  }
  const act = cfg.hidden_act ?? 'silu';
  if (act !== 'silu') fail(source, `hidden_act "${String(act)}" is not supported, only "silu" (SwiGLU)`);
  const scaling = cfg.rope_scaling as Json | null | undefined;
  const ropeType = scaling ? (scaling.rope_type ?? scaling.type) : 'default';
  if (ropeType !== 'default') {
    fail(source, `rope_scaling type "${String(ropeType)}" is not supported, only plain RoPE`);
  }
  if (cfg.mlp_bias) fail(source, 'mlp_bias is not supported: the MLP projections must be bias-free');
  if (modelType === 'qwen2' && cfg.use_sliding_window) {
    fail(source, 'use_sliding_window is not supported: attention is always full causal');
  }

  const hiddenSize = int(cfg, 'hidden_size', source);
  const numHeads = int(cfg, 'num_attention_heads', source);
  const numKvHeads = int(cfg, 'num_key_value_heads', source, numHeads);
  if (numHeads % numKvHeads !== 0) {
    fail(source, `num_attention_heads ${numHeads} must be a multiple of num_key_value_heads ${numKvHeads}`);
  }
  const headDim = int(cfg, 'head_dim', source, hiddenSize / numHeads);
  if (headDim % 2 !== 0) fail(source, `head_dim ${headDim} must be even for RoPE`);
  const attentionBias = cfg.attention_bias === true;
  return {
    modelType: modelType as ModelType,
    vocabSize: int(cfg, 'vocab_size', source),
    hiddenSize,
    intermediateSize: int(cfg, 'intermediate_size', source),
    numLayers: int(cfg, 'num_hidden_layers', source),
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: num(cfg, 'rms_norm_eps', source, 1e-6),
    ropeTheta: num(cfg, 'rope_theta', source, 10000),
    maxPositions: int(cfg, 'max_position_embeddings', source, 2048),
    // Both LlamaConfig and Qwen2Config default to untied embeddings.
    tieWordEmbeddings: cfg.tie_word_embeddings === true,
    qkvBias: modelType === 'qwen2' || attentionBias,
    oBias: modelType === 'llama' && attentionBias,
    bosTokenId: typeof cfg.bos_token_id === 'number' ? cfg.bos_token_id : null,
    eosTokenIds: tokenIds(cfg.eos_token_id),
  };
}

/** generation_config.json may list more stop tokens than config.json (chat models); merge them. */
export function withGenerationConfig(cfg: ModelConfig, generationConfig: unknown): ModelConfig {
  const gen = (
    typeof generationConfig === 'object' && generationConfig !== null ? generationConfig : {}
  ) as Json;
  const eos = [...new Set([...cfg.eosTokenIds, ...tokenIds(gen.eos_token_id)])];
  const bos = typeof gen.bos_token_id === 'number' ? gen.bos_token_id : cfg.bosTokenId;
  return { ...cfg, eosTokenIds: eos, bosTokenId: bos };
}
