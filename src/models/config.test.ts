// HF config.json parsing for every family (llama, qwen2, qwen3, gemma3_text) in transformers' v4 and v5
// forms: dims, biases, defaults, layer kinds, each kind's RoPE, attention scale, the sliding-window
// context cap, generation_config merge; a LOAD error naming key and value for everything the engine
// does not run; and a seeded fuzz of 10,000 mutated configs (valid and bounded, or LOAD, nothing else).
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors';
import { rng } from '../../tests/helpers/random';
import { CONFIG_LIMITS, parseConfig, withGenerationConfig } from './config';
import { type ModelConfig } from '../engine/model/config';

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

const llama32 = {
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
  rope_scaling: {
    factor: 32,
    high_freq_factor: 4,
    low_freq_factor: 1,
    original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
  max_position_embeddings: 131072,
  tie_word_embeddings: true,
  hidden_act: 'silu',
  bos_token_id: 128000,
  eos_token_id: 128001,
}; // Llama-3.2-1B, transformers v4 keys

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

const qwen3 = {
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
  rope_scaling: null,
  max_position_embeddings: 40960,
  tie_word_embeddings: true,
  attention_bias: false,
  use_sliding_window: false,
  sliding_window: null,
  max_window_layers: 28,
  hidden_act: 'silu',
  bos_token_id: 151643,
  eos_token_id: 151645,
}; // Qwen3-0.6B

const gemma3 = {
  model_type: 'gemma3_text',
  vocab_size: 262144,
  hidden_size: 1152,
  intermediate_size: 6912,
  num_hidden_layers: 26,
  num_attention_heads: 4,
  num_key_value_heads: 1,
  head_dim: 256,
  max_position_embeddings: 32768,
  query_pre_attn_scalar: 256,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000,
  rope_local_base_freq: 10000,
  rope_scaling: null,
  sliding_window: 512,
  sliding_window_pattern: 6,
  attn_logit_softcapping: null,
  final_logit_softcapping: null,
  hidden_activation: 'gelu_pytorch_tanh',
  attention_bias: false,
  bos_token_id: 2,
  eos_token_id: [1, 106],
}; // gemma-3-1b-it, transformers v4 keys

const FIXTURES: Record<string, unknown>[] = [llama, llama32, qwen2, qwen3, gemma3];

const parse = (cfg: unknown) => parseConfig(cfg, '/m/config.json');

describe('parseConfig', () => {
  it('reads a SmolLM2 (llama, GQA 9/3, tied) config', () => {
    const rope = { type: 'default', theta: 100000 };
    expect(parse(llama)).toEqual({
      modelType: 'llama',
      vocabSize: 49152,
      hiddenSize: 576,
      intermediateSize: 1536,
      numLayers: 30,
      numHeads: 9,
      numKvHeads: 3,
      headDim: 64,
      rmsNormEps: 1e-5,
      layerKinds: Array(30).fill('full'),
      rope: { full: rope, sliding: rope },
      attnScale: 1 / 8,
      slidingWindow: null,
      maxPositions: 8192,
      tieWordEmbeddings: true,
      qkvBias: false,
      oBias: false,
      bosTokenId: 0,
      eosTokenIds: [0],
    });
  });

  it('llama3 rope scaling: v4 rope_scaling and v5 rope_parameters give the same spec', () => {
    const spec = {
      type: 'llama3',
      theta: 500000,
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositions: 8192,
    };
    expect(parse(llama32).rope.full).toEqual(spec);
    const { rope_theta: _t, rope_scaling, ...rest } = llama32;
    const v5 = { ...rest, rope_parameters: { ...rope_scaling, rope_theta: 500000 } };
    expect(parse(v5).rope.full).toEqual(spec);
    // original_max_position_embeddings defaults to max_position_embeddings, as in v5's standardization
    const { original_max_position_embeddings: _o, ...short } = rope_scaling;
    expect(parse({ ...llama32, rope_scaling: short }).rope.full).toMatchObject({
      originalMaxPositions: 131072,
    });
  });

  it('v5 rope_parameters sets theta (before, a v5 config silently ran with 10000); linear and old "type"', () => {
    const { rope_theta: _t, ...v5 } = llama;
    expect(parse({ ...v5, rope_parameters: { rope_type: 'default', rope_theta: 100000 } }).rope.full).toEqual(
      {
        type: 'default',
        theta: 100000,
      },
    );
    expect(parse(v5).rope.full.theta).toBe(10000); // LlamaConfig's default when no theta is given at all
    expect(parse({ ...llama, rope_scaling: { type: 'linear', factor: 2 } }).rope.full).toEqual({
      type: 'linear',
      theta: 100000,
      factor: 2,
    });
  });

  it('qwen2 always has q/k/v biases and no o_proj bias; llama attention_bias adds both', () => {
    const q = parse(qwen2);
    expect([q.qkvBias, q.oBias, q.headDim, q.numKvHeads]).toEqual([true, false, 64, 2]);
    const l = parse({ ...llama, attention_bias: true });
    expect([l.qkvBias, l.oBias]).toEqual([true, true]);
  });

  it('qwen3: head_dim defaults to 128 (not C / NH), attention_bias gives q/k/v/o biases, untied default', () => {
    const { head_dim: _h, tie_word_embeddings: _t, ...bare } = qwen3;
    const c = parse(bare);
    expect([c.headDim, c.hiddenSize / c.numHeads, c.tieWordEmbeddings, c.qkvBias, c.oBias]).toEqual([
      128,
      64,
      false,
      false,
      false,
    ]);
    expect(c.layerKinds.every((k) => k === 'full')).toBe(true);
    const b = parse({ ...qwen3, attention_bias: true });
    expect([b.qkvBias, b.oBias, b.attnScale]).toEqual([true, true, 128 ** -0.5]);
  });

  it('gemma3 v4: sliding_window_pattern 6, local and global RoPE bases, the window apart from the context', () => {
    const c = parse(gemma3);
    expect(c.layerKinds.slice(0, 12)).toEqual([
      ...Array(5).fill('sliding'),
      'full',
      ...Array(5).fill('sliding'),
      'full',
    ]);
    expect(c.rope).toEqual({
      full: { type: 'default', theta: 1000000 },
      sliding: { type: 'default', theta: 10000 },
    });
    expect([c.slidingWindow, c.maxPositions, c.attnScale, c.tieWordEmbeddings]).toEqual([
      512,
      32768,
      1 / 16,
      true,
    ]);
    expect(c.eosTokenIds).toEqual([1, 106]);
    // v4 rope_scaling (gemma-3-4b: linear, factor 8) scales the full layers only
    const scaled = parse({ ...gemma3, rope_scaling: { rope_type: 'linear', factor: 8 } });
    expect(scaled.rope).toEqual({
      full: { type: 'linear', theta: 1000000, factor: 8 },
      sliding: { type: 'default', theta: 10000 },
    });
    // without sliding layers there is no window
    const full = parse({ ...gemma3, layer_types: Array(26).fill('full_attention') });
    expect([full.slidingWindow, full.maxPositions]).toEqual([null, 32768]);
  });

  it('gemma3 layer_types (gemma-3-270m) and v5 rope_parameters keyed by layer type', () => {
    const types = Array.from({ length: 26 }, (_, i) =>
      i % 3 === 2 ? 'full_attention' : 'sliding_attention',
    );
    const {
      rope_theta: _t,
      rope_local_base_freq: _l,
      rope_scaling: _s,
      sliding_window_pattern: _p,
      ...rest
    } = gemma3;
    const v5 = {
      ...rest,
      layer_types: types,
      rope_parameters: {
        full_attention: { rope_type: 'linear', factor: 8, rope_theta: 1000000 },
        sliding_attention: { rope_type: 'default', rope_theta: 10000 },
      },
    };
    const c = parse(v5);
    expect(c.layerKinds).toEqual(types.map((t) => (t === 'full_attention' ? 'full' : 'sliding')));
    expect(c.rope).toEqual({
      full: { type: 'linear', theta: 1000000, factor: 8 },
      sliding: { type: 'default', theta: 10000 },
    });
    // per-type dicts without theta take Gemma3's defaults (1e6 global, 1e4 local)
    const bare = parse({ ...v5, rope_parameters: { full_attention: {}, sliding_attention: {} } });
    expect([bare.rope.full.theta, bare.rope.sliding.theta]).toEqual([1000000, 10000]);
  });

  it('defaults: untied embeddings, NKV = NH, head_dim = C / NH, explicit head_dim wins', () => {
    const { tie_word_embeddings: _t, num_key_value_heads: _k, ...bare } = llama;
    const c = parse(bare);
    expect([c.tieWordEmbeddings, c.numKvHeads, c.headDim]).toEqual([false, 9, 64]);
    expect(parse({ ...llama, head_dim: 32 }).headDim).toBe(32);
  });

  it('merges eos ids from generation_config.json and refuses ids outside the vocabulary', () => {
    const c = withGenerationConfig(parse(qwen2), { eos_token_id: [151645, 151643] });
    expect(c.eosTokenIds).toEqual([151645, 151643]);
    expect(() => withGenerationConfig(parse(qwen2), { eos_token_id: [151936] })).toThrow(
      /"eos_token_id" must be token ids in \[0, 151936\), got \[151936\]/,
    );
  });

  it.each([
    [
      { ...llama, model_type: 'gpt2' },
      /"model_type" is not supported \(supported: llama, qwen2, qwen3, gemma3_text\), got "gpt2"\nHINT:/,
    ],
    [{ ...gemma3, model_type: 'gemma3' }, /got "gemma3"\nHINT: a multimodal Gemma 3 checkpoint/],
    [
      { ...llama, rope_scaling: { rope_type: 'yarn', factor: 4 } },
      /"rope_scaling.rope_type" is not supported \(supported: default, linear, llama3\), got "yarn"/,
    ],
    [
      { ...llama, rope_parameters: { rope_type: 'dynamic', factor: 2, rope_theta: 1e4 } },
      /"rope_parameters.rope_type" is not supported .*, got "dynamic"/,
    ],
    [
      {
        ...gemma3,
        rope_parameters: { full_attention: { rope_type: 'yarn', factor: 8 }, sliding_attention: {} },
      },
      /"rope_parameters.full_attention.rope_type" is not supported .*, got "yarn"/,
    ],
    [
      { ...llama, rope_scaling: { rope_type: 'default', mrope_section: [16, 24, 24] } },
      /"rope_scaling.mrope_section" is not a RoPE setting the engine runs, got \[16,24,24\]/,
    ],
    [
      { ...llama, rope_parameters: { full_attention: { rope_theta: 1e4 } } },
      /"rope_parameters.full_attention" is not a RoPE setting the engine runs/,
    ],
    [
      { ...llama, rope_scaling: { rope_type: 'default', partial_rotary_factor: 0.5 } },
      /"rope_scaling.partial_rotary_factor" is not supported: RoPE must rotate the whole head, got 0.5/,
    ],
    [
      { ...llama32, rope_scaling: { ...llama32.rope_scaling, low_freq_factor: undefined } },
      /"rope_scaling.low_freq_factor" must be a number in \(0, 1000000\], got undefined/,
    ],
    [
      { ...llama32, rope_scaling: { ...llama32.rope_scaling, high_freq_factor: 1 } },
      /"rope_scaling.high_freq_factor" must exceed low_freq_factor 1, got 1/,
    ],
    [{ ...llama32, rope_scaling: 'llama3' }, /"rope_scaling" must be an object or null, got "llama3"/],
    [{ ...qwen2, use_sliding_window: true }, /"use_sliding_window" is not supported/],
    [{ ...llama, mlp_bias: true }, /"mlp_bias" is not supported/],
    [{ ...llama, hidden_act: 'gelu' }, /"hidden_act" is not supported, only "silu", got "gelu"/],
    [
      { ...gemma3, hidden_activation: 'gelu' },
      /"hidden_activation" is not supported, only "gelu_pytorch_tanh"/,
    ],
    [{ ...gemma3, attn_logit_softcapping: 50 }, /"attn_logit_softcapping" is not supported.*, got 50/],
    [{ ...gemma3, final_logit_softcapping: 30 }, /"final_logit_softcapping" is not supported.*, got 30/],
    [{ ...gemma3, use_bidirectional_attention: true }, /"use_bidirectional_attention" is not supported/],
    [{ ...gemma3, layer_types: ['full_attention'] }, /"layer_types" must list 26 layers/],
    [
      { ...qwen3, layer_types: Array(28).fill('sliding_attention') },
      /"layer_types" must list 28 layers, each one of full_attention,/,
    ],
    [{ ...gemma3, sliding_window: 0 }, /"sliding_window" must be an integer in \[1, 16777216\], got 0/],
    [
      { ...llama, num_key_value_heads: 2 },
      /num_attention_heads 9 must be a multiple of num_key_value_heads 2/,
    ],
    [{ ...llama, hidden_size: '576' }, /"hidden_size" must be an integer in \[1, 65536\], got "576"/],
    [
      { ...llama, num_hidden_layers: 1e6 },
      /"num_hidden_layers" must be an integer in \[1, 1024\], got 1000000/,
    ],
    [{ ...llama, vocab_size: -5 }, /"vocab_size" must be an integer in \[1, 4194304\], got -5/],
    [{ ...llama, max_position_embeddings: 1e9 }, /"max_position_embeddings" must be an integer/],
    [{ ...llama, head_dim: 63 }, /"head_dim" must be even for RoPE, got 63/],
    [{ ...llama, hidden_size: 577 }, /"head_dim" must be an integer in \[1, 1024\], got undefined/],
    [{ ...llama, rms_norm_eps: 0.5 }, /"rms_norm_eps" must be a number in \(0, 0.01\], got 0.5/],
    [{ ...llama, rms_norm_eps: 0 }, /"rms_norm_eps" must be a number in \(0, 0.01\], got 0/],
    [{ ...llama, rope_theta: Number.NaN }, /"rope_theta" must be a number in \(0, 1000000000000\], got NaN/],
    [{ ...llama, tie_word_embeddings: 'yes' }, /"tie_word_embeddings" must be true or false, got "yes"/],
    [{ ...llama, bos_token_id: 49152 }, /"bos_token_id" must be token ids in \[0, 49152\), got 49152/],
    [
      { ...gemma3, eos_token_id: [1, 'x'] },
      /"eos_token_id" must be token ids in \[0, 262144\), got \[1,"x"\]/,
    ],
  ])('refuses unsupported config %#', (cfg, message) => {
    expect(() => parse(cfg)).toThrow(message);
    expect(() => parse(cfg)).toThrow(expect.objectContaining({ code: 'LOAD' }));
  });
});

/** What every parsed config guarantees to the engine. */
function checkBounds(c: ModelConfig): void {
  const within = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  expect(within(c.numLayers, CONFIG_LIMITS.numLayers)).toBe(true);
  expect(within(c.numHeads, CONFIG_LIMITS.numHeads) && c.numHeads % c.numKvHeads === 0).toBe(true);
  expect(within(c.hiddenSize, CONFIG_LIMITS.hiddenSize)).toBe(true);
  expect(within(c.intermediateSize, CONFIG_LIMITS.intermediateSize)).toBe(true);
  expect(within(c.headDim, CONFIG_LIMITS.headDim) && c.headDim % 2 === 0).toBe(true);
  expect(within(c.vocabSize, CONFIG_LIMITS.vocabSize)).toBe(true);
  expect(within(c.maxPositions, CONFIG_LIMITS.maxPositions)).toBe(true);
  expect(c.rmsNormEps > 0 && c.rmsNormEps <= CONFIG_LIMITS.rmsNormEps).toBe(true);
  expect(c.attnScale > 0 && Number.isFinite(c.attnScale)).toBe(true);
  expect(c.layerKinds.length).toBe(c.numLayers);
  for (const r of Object.values(c.rope)) {
    expect(r.theta > 0 && r.theta <= CONFIG_LIMITS.ropeTheta).toBe(true);
    if (r.type !== 'default') expect(r.factor > 0 && Number.isFinite(r.factor)).toBe(true);
    if (r.type === 'llama3') expect(r.highFreqFactor > r.lowFreqFactor).toBe(true);
  }
  for (const id of [...c.eosTokenIds, ...(c.bosTokenId === null ? [] : [c.bosTokenId])]) {
    expect(Number.isInteger(id) && id >= 0 && id < c.vocabSize).toBe(true);
  }
}

describe('parseConfig fuzz', () => {
  const JUNK: unknown[] = [
    null,
    undefined,
    Number.NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    0.5,
    1,
    3,
    7,
    1e6,
    2 ** 31,
    1e300,
    -1e300,
    '',
    '64',
    'llama3',
    true,
    false,
    [],
    [1, 2],
    ['x'],
    {},
    { a: { b: [1] } },
    { rope_type: 'llama3', factor: 8 },
    { full_attention: { rope_type: 'linear', factor: 2 }, sliding_attention: null },
  ];
  const EXTRA_KEYS = [
    'rope_parameters',
    'layer_types',
    'sliding_window',
    'sliding_window_pattern',
    'query_pre_attn_scalar',
    'head_dim',
    'attention_bias',
    '__proto__',
  ];

  it('10,000 mutated configs: each is a bounded ModelConfig or a LOAD error, nothing else', () => {
    const r = rng(20260318);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const counts = { ok: 0, load: 0 };
    for (let n = 0; n < 10_000; n++) {
      const cfg = structuredClone(pick(FIXTURES)) as Record<string, unknown>;
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) {
        // Mutate a top-level key, a key inside a nested dict, or add a key.
        const nested = Object.values(cfg).filter(
          (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
        );
        const target = nested.length > 0 && r() < 0.2 ? pick(nested) : cfg;
        const key = r() < 0.8 ? pick(Object.keys(target).concat(['x'])) : pick(EXTRA_KEYS);
        const value = r() < 0.1 ? Math.floor(r() * 1000) : structuredClone(pick(JUNK));
        if (value === undefined) delete target[key];
        else
          Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      }
      let parsed: ModelConfig;
      try {
        parsed = parse(cfg);
      } catch (e) {
        if (!(e instanceof EngineError && e.code === 'LOAD')) {
          throw new Error(`case ${n}: ${String(e)} for ${JSON.stringify(cfg)}`, { cause: e });
        }
        counts.load++;
        continue;
      }
      checkBounds(parsed);
      counts.ok++;
    }
    // Both outcomes occur often: the mutations are neither all harmless nor all fatal.
    expect(counts.ok).toBeGreaterThan(1000);
    expect(counts.load).toBeGreaterThan(1000);
  });
});
