// A tiny random checkpoint of any supported family built in memory (config.json object + safetensors bytes), and
// a Transformer on any Backend from it, for model-level tests. Backend-agnostic on purpose: the
// WebGPU tests run the same model tests by passing their backend. Not a trained model.

import type { Backend } from '../../src/engine/backend';
import type { WeightPrecision } from '../../src/engine/quantize';
import { parseConfig } from '../../src/models/config';
import { type ModelType } from '../../src/engine/model/families';
import { encodeSafetensors, parseSafetensors } from '../../src/models/safetensors';
import { checkWeights } from '../../src/models/weights';
import { parameterTable } from '../../src/engine/model/weights';
import { uploadParams } from '../../src/engine/model/params';
import { Transformer } from '../../src/engine/model/transformer';
import { randn } from './random';

export interface TinySpec {
  modelType?: ModelType;
  C?: number;
  H?: number;
  L?: number;
  NH?: number;
  NKV?: number;
  V?: number;
  tied?: boolean;
  seed?: number;
  /** config.json keys to add or override (e.g. gemma3's layer_types, sliding_window). */
  extra?: Record<string, unknown>;
}

export function tinyConfigJson(s: TinySpec = {}): Record<string, unknown> {
  const C = s.C ?? 16;
  const NH = s.NH ?? 4;
  return {
    model_type: s.modelType ?? 'llama',
    hidden_size: C,
    intermediate_size: s.H ?? 32,
    num_hidden_layers: s.L ?? 2,
    num_attention_heads: NH,
    head_dim: C / NH, // qwen3 and gemma3 would otherwise default to 128 and 256
    num_key_value_heads: s.NKV ?? 2,
    vocab_size: s.V ?? 24,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    max_position_embeddings: 64,
    tie_word_embeddings: s.tied ?? true,
    hidden_act: 'silu',
    bos_token_id: 1,
    eos_token_id: 2,
    ...s.extra,
  };
}

/** Safetensors bytes with every tensor the config needs: Linear weights N(0, 1/fan_in) so the random
 *  model is not chaotic (quantization tests compare logits), embeddings and biases N(0, 0.5²), norms ≈ 1. */
export function tinySafetensors(configJson: Record<string, unknown>, seed = 1): ArrayBuffer {
  const cfg = parseConfig(configJson, 'tiny');
  const tensors: Parameters<typeof encodeSafetensors>[0] = {};
  let i = 0;
  for (const [name, shape] of parameterTable(cfg)) {
    const n = shape.reduce((a, d) => a * d, 1);
    const linear = shape.length === 2 && !name.includes('embed_tokens');
    let data = randn(n, seed * 1000 + i++, linear ? 1 / Math.sqrt(shape[1]) : 0.5);
    if (name.endsWith('norm.weight') || name.endsWith('layernorm.weight'))
      data = data.map((x) => 1 + 0.2 * x);
    tensors[name] = { dtype: 'F32', shape, data };
  }
  return encodeSafetensors(tensors);
}

export async function tinyModel(
  backend: Backend,
  spec: TinySpec = {},
  precision: WeightPrecision = 'f32',
): Promise<Transformer> {
  const json = tinyConfigJson(spec);
  const cfg = parseConfig(json, 'tiny');
  const src = parseSafetensors(tinySafetensors(json, spec.seed ?? 1), 'tiny');
  checkWeights(cfg, src);
  return new Transformer(backend, cfg, await uploadParams(backend, cfg, src, precision));
}
