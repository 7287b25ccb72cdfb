// HF config.json parsing: llama and qwen2 dims, biases, GQA, tied defaults, generation_config merge,
// and a readable LOAD error for everything the engine does not implement.
import { describe, expect, it } from 'vitest';
import { parseConfig, withGenerationConfig } from './config';

const llama = {
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
  hidden_act: 'silu',
  bos_token_id: 0,
  eos_token_id: 0,
}; // SmolLM2-135M

const qwen2 = {
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
  use_sliding_window: false,
  hidden_act: 'silu',
  bos_token_id: 151643,
  eos_token_id: 151645,
}; // Qwen2.5-0.5B-Instruct

describe('parseConfig', () => {
  it('reads a SmolLM2 (llama, GQA 9/3, tied) config', () => {
    expect(parseConfig(llama, 'smol')).toEqual({
      modelType: 'llama',
      vocabSize: 49152,
      hiddenSize: 576,
      intermediateSize: 1536,
      numLayers: 30,
      numHeads: 9,
      numKvHeads: 3,
      headDim: 64,
      rmsNormEps: 1e-5,
      ropeTheta: 100000,
      maxPositions: 8192,
      tieWordEmbeddings: true,
      qkvBias: false,
      oBias: false,
      bosTokenId: 0,
      eosTokenIds: [0],
    });
  });

  it('qwen2 always has q/k/v biases and no o_proj bias; llama attention_bias adds both', () => {
    const q = parseConfig(qwen2, 'qwen');
    expect([q.qkvBias, q.oBias, q.headDim, q.numKvHeads]).toEqual([true, false, 64, 2]);
    const l = parseConfig({ ...llama, attention_bias: true }, 'llama');
    expect([l.qkvBias, l.oBias]).toEqual([true, true]);
  });

  it('defaults: untied embeddings, NKV = NH, head_dim = C / NH, explicit head_dim wins', () => {
    const { tie_word_embeddings: _t, num_key_value_heads: _k, ...bare } = llama;
    const c = parseConfig(bare, 'bare');
    expect([c.tieWordEmbeddings, c.numKvHeads, c.headDim]).toEqual([false, 9, 64]);
    expect(parseConfig({ ...llama, head_dim: 32 }, 'hd').headDim).toBe(32);
  });

  it('merges eos ids from generation_config.json', () => {
    const c = withGenerationConfig(parseConfig(qwen2, 'qwen'), { eos_token_id: [151645, 151643] });
    expect(c.eosTokenIds).toEqual([151645, 151643]);
  });

  it.each([
    [
      { ...llama, model_type: 'gpt2' },
      /model_type "gpt2" is not supported \(supported: llama, qwen2\)\nHINT:/,
    ],
    [
      { ...llama, rope_scaling: { rope_type: 'llama3', factor: 8 } },
      /rope_scaling type "llama3" is not supported/,
    ],
    [{ ...qwen2, use_sliding_window: true }, /use_sliding_window is not supported/],
    [{ ...llama, mlp_bias: true }, /mlp_bias is not supported/],
    [{ ...llama, hidden_act: 'gelu' }, /hidden_act "gelu" is not supported/],
    [
      { ...llama, num_key_value_heads: 2 },
      /num_attention_heads 9 must be a multiple of num_key_value_heads 2/,
    ],
    [{ ...llama, hidden_size: '576' }, /"hidden_size" must be a positive integer, got "576"/],
  ])('refuses unsupported config %#', (cfg, message) => {
    expect(() => parseConfig(cfg, '/m/config.json')).toThrow(message);
    expect(() => parseConfig(cfg, '/m/config.json')).toThrow(expect.objectContaining({ code: 'LOAD' }));
  });
});
