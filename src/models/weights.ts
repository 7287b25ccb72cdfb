// The parameter table of a llama/qwen2/qwen3/gemma3_text decoder: which Hugging Face tensor names a
// config requires and with which shapes (per family: q/k norms, Gemma's four norms per layer), plus a
// lookup over one or several safetensors shards. Checking the whole table before uploading anything
// turns a wrong checkpoint into one LOAD error listing what is off.
// Not the upload itself (engine/model/params.ts decides precision and talks to the Backend).

import { EngineError } from '../engine/errors';
import { sameShape } from '../engine/shapes';
import type { ModelConfig } from './config';
import { FAMILIES, type Family } from './families';
import type { HostTensor, SafetensorsFile } from './safetensors';

export const EMBED = 'model.embed_tokens.weight'; // (V, C)
export const FINAL_NORM = 'model.norm.weight'; // (C)
export const LM_HEAD = 'lm_head.weight'; // (V, C), absent when tied

/** HF names of layer i's tensors in `family`; biases and norms are listed whether or not it uses them. */
export function layerNames(i: number, family: Family) {
  const p = `model.layers.${i}`;
  return {
    inputNorm: `${p}.input_layernorm.weight`, // (C)
    q: `${p}.self_attn.q_proj.weight`, // (NH*HS, C)
    k: `${p}.self_attn.k_proj.weight`, // (NKV*HS, C)
    v: `${p}.self_attn.v_proj.weight`, // (NKV*HS, C)
    o: `${p}.self_attn.o_proj.weight`, // (C, NH*HS)
    qBias: `${p}.self_attn.q_proj.bias`, // (NH*HS)
    kBias: `${p}.self_attn.k_proj.bias`, // (NKV*HS)
    vBias: `${p}.self_attn.v_proj.bias`, // (NKV*HS)
    oBias: `${p}.self_attn.o_proj.bias`, // (C)
    qNorm: `${p}.self_attn.q_norm.weight`, // (HS) qwen3, gemma3
    kNorm: `${p}.self_attn.k_norm.weight`, // (HS) qwen3, gemma3
    attnOutNorm: `${p}.post_attention_layernorm.weight`, // (C) gemma3: on the attention output
    mlpNorm: `${p}.${family.preMlpNorm}.weight`, // (C) in front of the MLP
    mlpOutNorm: `${p}.post_feedforward_layernorm.weight`, // (C) gemma3: on the MLP output
    gate: `${p}.mlp.gate_proj.weight`, // (H, C)
    up: `${p}.mlp.up_proj.weight`, // (H, C)
    down: `${p}.mlp.down_proj.weight`, // (C, H)
  };
}

/** Every tensor the config requires, name → shape. */
export function parameterTable(cfg: ModelConfig): Map<string, number[]> {
  const {
    vocabSize: V,
    hiddenSize: C,
    intermediateSize: H,
    numHeads: NH,
    numKvHeads: NKV,
    headDim: HS,
  } = cfg;
  const family = FAMILIES[cfg.modelType];
  const table = new Map<string, number[]>([
    [EMBED, [V, C]],
    [FINAL_NORM, [C]],
  ]);
  if (!cfg.tieWordEmbeddings) table.set(LM_HEAD, [V, C]);
  for (let i = 0; i < cfg.numLayers; i++) {
    const n = layerNames(i, family);
    table.set(n.inputNorm, [C]);
    table.set(n.q, [NH * HS, C]);
    table.set(n.k, [NKV * HS, C]);
    table.set(n.v, [NKV * HS, C]);
    table.set(n.o, [C, NH * HS]);
    if (cfg.qkvBias) {
      table.set(n.qBias, [NH * HS]);
      table.set(n.kBias, [NKV * HS]);
      table.set(n.vBias, [NKV * HS]);
    }
    if (cfg.oBias) table.set(n.oBias, [C]);
    if (family.qkNorm) {
      table.set(n.qNorm, [HS]);
      table.set(n.kNorm, [HS]);
    }
    if (family.postNorms) table.set(n.attnOutNorm, [C]);
    table.set(n.mlpNorm, [C]);
    if (family.postNorms) table.set(n.mlpOutNorm, [C]);
    table.set(n.gate, [H, C]);
    table.set(n.up, [H, C]);
    table.set(n.down, [C, H]);
  }
  return table;
}

/** Tensors by name across the shards of one checkpoint. */
export class TensorSource {
  private readonly byName = new Map<string, SafetensorsFile>();

  constructor(
    readonly description: string,
    shards: readonly SafetensorsFile[],
  ) {
    for (const shard of shards) for (const name of shard.entries.keys()) this.byName.set(name, shard);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  shape(name: string): number[] | undefined {
    return this.byName.get(name)?.entries.get(name)?.shape;
  }

  get(name: string): HostTensor {
    const shard = this.byName.get(name);
    if (!shard) throw new EngineError('LOAD', `weights: ${this.description}: missing tensor "${name}"`);
    return shard.get(name);
  }

  getF32(name: string): { shape: number[]; data: Float32Array } {
    const shard = this.byName.get(name);
    if (!shard) throw new EngineError('LOAD', `weights: ${this.description}: missing tensor "${name}"`);
    return shard.getF32(name);
  }
}

/** Throws one LOAD error naming up to 5 missing or mis-shaped tensors. */
export function checkWeights(cfg: ModelConfig, src: Pick<TensorSource, 'description' | 'shape'>): void {
  const problems: string[] = [];
  for (const [name, shape] of parameterTable(cfg)) {
    const got = src.shape(name);
    if (!got) problems.push(`missing "${name}" (${shape.join(', ')})`);
    else if (!sameShape(got, shape))
      problems.push(`"${name}" must be (${shape.join(', ')}), got (${got.join(', ')})`);
  }
  if (problems.length === 0) return;
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
  const tiedHint =
    !cfg.tieWordEmbeddings && problems.some((p) => p.includes(LM_HEAD))
      ? 'config says tie_word_embeddings=false but the checkpoint has no lm_head.weight; check config.json'
      : 'config.json and the safetensors files must come from the same checkpoint';
  throw new EngineError(
    'LOAD',
    `weights: ${src.description}: ${problems.slice(0, 5).join('; ')}${more}`,
    tiedHint,
  );
}
