// Every family through the one transformer on the CPU reference, on tiny random models: KV-cache
// decode equals the full forward, the edit gradient loss → Wm matches finite differences (through
// q/k norms, GeGLU, Gemma's post norms), the edit loss equals inference's. Gemma3: its hub fixtures
// (tests/fixtures/hub, transformers' float64 reference) agree on every position inside the sliding
// window, and a longer input is refused rather than computed with the wrong attention.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { EditPass } from './edit';
import { loadModel } from './load';
import { diskFetchFrom } from '../../../tests/helpers/disk-fetch';
import { expectClose } from '../../../tests/helpers/expect-close';
import {
  checkCacheMatchesFull,
  checkEditGradient,
  checkEditLossMatchesInference,
  CPU_MODEL_TOLERANCES as tol,
} from '../../../tests/helpers/model-suite';
import { tinyModel, type TinySpec } from '../../../tests/helpers/tiny-model';

const gemma3 = (L: number, window = 16): TinySpec => ({
  modelType: 'gemma3_text',
  L,
  H: 32,
  extra: {
    // the first layer slides, the rest are full; each kind with its own RoPE (v5 form)
    layer_types: Array.from({ length: L }, (_, i) => (i === 0 ? 'sliding_attention' : 'full_attention')),
    sliding_window: window,
    query_pre_attn_scalar: 10, // ≠ head_dim 4: exercises the scale folded into q_norm
    rope_parameters: {
      full_attention: { rope_type: 'linear', factor: 2, rope_theta: 1e6 },
      sliding_attention: { rope_type: 'default', rope_theta: 1e4 },
    },
  },
});

const FAMILIES: [string, (L: number) => TinySpec][] = [
  [
    // head_dim 4: inv_freq [1, 0.01], wavelengths 6.3 (between 16/4 and 16/1: blended) and 628 (÷ 8)
    'llama, llama3 rope scaling',
    (L) => ({
      L,
      extra: {
        rope_scaling: {
          rope_type: 'llama3',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 16,
        },
      },
    }),
  ],
  [
    'qwen3, q/k norms and attention_bias',
    (L) => ({ modelType: 'qwen3', L, extra: { attention_bias: true } }),
  ],
  ['gemma3_text, sliding + full layers', (L) => gemma3(L)],
];

describe.each(FAMILIES)('%s', (_name, spec) => {
  it('KV-cache decode equals the full forward', async () => {
    await checkCacheMatchesFull(await createBackend('cpu'), spec(2), tol);
  });

  it.each([
    [0, 3],
    [2, 3],
  ])('dWm at layer %i of %i matches finite differences', async (layer, L) => {
    await checkEditGradient(await createBackend('cpu'), { ...spec(L), C: 16 }, layer, 'f32', tol);
  });

  it('the edit loss equals the inference cross-entropy with the same memory', async () => {
    await checkEditLossMatchesInference(await createBackend('cpu'), spec(2), tol);
  });
});

describe('gemma3_text context', () => {
  it('refuses input beyond the sliding window in forward, cache and edit, naming the window', async () => {
    const model = await tinyModel(await createBackend('cpu'), gemma3(2, 4));
    const ids = Int32Array.from([1, 5, 7, 3, 11]);
    expect(model.config.maxPositions).toBe(4);
    const message = /5 tokens exceed the gemma3_text model's context of 4: its sliding window of 4 tokens/;
    await expect(model.forward(ids)).rejects.toThrow(message);
    const cache = model.newCache();
    expect(cache.maxT).toBe(4);
    await model.forward(ids.subarray(0, 4), { cache });
    await expect(model.forward(ids.subarray(4), { cache })).rejects.toThrow(/exceed/);
    cache.free();
    await expect(EditPass.prepare(model, ids, Int32Array.from([-1, -1, -1, -1, 2]), 0)).rejects.toThrow(
      message,
    );
    model.free();
  });

  const fixtures = join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures');
  it.each(['gemma3-text', 'gemma3-text-v5'])(
    '%s hub fixture: logits inside the sliding window match transformers',
    async (name) => {
      const ref = JSON.parse(readFileSync(join(fixtures, 'hub', name, 'reference.json'), 'utf8')) as {
        prompt_ids: number[];
        logits: number[][];
      };
      const model = await loadModel(
        await createBackend('cpu'),
        { kind: 'local', base: '/hub', repo: name },
        { fetch: diskFetchFrom(fixtures) },
      );
      const W = model.config.maxPositions; // the fixtures' windows (4, 3) are shorter than the prompt
      const logits = await model.forward(Int32Array.from(ref.prompt_ids.slice(0, W)), { allLogits: true });
      expectClose(logits, ref.logits.slice(0, W).flat(), { atol: 1e-4, rtol: 0, label: name });
      model.free();
    },
  );
});
