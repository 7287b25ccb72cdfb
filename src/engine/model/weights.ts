// The parameter table of a decoder in Hugging Face's tensor names: which tensors a config requires
// and with which shapes (per family: biases, q/k norms, post norms). The engine uploads by these
// names; src/models/weights.ts checks a checkpoint against them. Not a reader of files.

import type { ModelConfig } from './config';
import { FAMILIES, type Family } from './families';

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
