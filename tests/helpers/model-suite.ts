// Backend-agnostic model suites on tiny random models, registered by the test file of each backend:
// transformerSuite (KV-cache decode = full forward, MEMOIR hook, Qwen2 biases / GQA / untied head,
// f16/q8/q4 close to f32), editSuite (the whole edit gradient loss → Wm against finite
// differences, SGD convergence, edit loss = inference loss) and familySuite (cache, gradient and loss
// checks for llama3 rope, qwen3 and gemma3_text). CPU: src/engine/model/*.test.ts.
import { describe, expect, it } from 'vitest';
import type { Backend, Tensor } from '../../src/engine/backend';
import { EditPass } from '../../src/engine/model/edit';
import { expectClose } from './expect-close';
import { randn } from './random';
import type { WeightPrecision } from '../../src/engine/quantize';
import { tinyModel, type TinySpec } from './tiny-model';

export interface ModelTolerances {
  logits: number; // atol of logits between two paths of one backend (cache vs full)
  loss: number; // atol of the edit loss vs the inference path's cross-entropy
  grad: { atol: number; rtol: number }; // dWm vs central finite differences (eps 1e-2)
}

export const CPU_MODEL_TOLERANCES: ModelTolerances = {
  logits: 1e-5,
  loss: 1e-5,
  grad: { atol: 2e-3, rtol: 2e-2 },
};

const ids = Int32Array.from([1, 5, 7, 3, 11, 4, 9]);
const editIds = ids.subarray(0, 6);
const targets = Int32Array.from([-1, -1, -1, 9, 13, 2]); // score the last three predictions
const cols = Int32Array.from([1, 5, 9, 20, 31]);

/** Prefill then token-by-token decode through a KV cache gives the full forward's logits. */
async function checkCacheMatchesFull(b: Backend, spec: TinySpec, tol: ModelTolerances): Promise<void> {
  const model = await tinyModel(b, spec);
  const V = model.config.vocabSize;
  const full = await model.forward(ids, { allLogits: true }); // (T, V)
  const cache = model.newCache(16);
  const prefill = await model.forward(ids.subarray(0, 4), { cache });
  expectClose(prefill, full.subarray(3 * V, 4 * V), { atol: tol.logits, label: 'prefill last row' });
  for (let t = 4; t < ids.length; t++) {
    const step = await model.forward(ids.subarray(t, t + 1), { cache });
    expectClose(step, full.subarray(t * V, (t + 1) * V), { atol: tol.logits, label: `decode t=${t}` });
  }
  expect(cache.length).toBe(ids.length);
  cache.free();
  model.free();
}

/** Registers the inference tests; call inside a describe. */
export function transformerSuite(makeBackend: () => Promise<Backend>, tol: ModelTolerances): void {
  it('llama, GQA, tied: KV-cache decode equals the full forward', async () => {
    await checkCacheMatchesFull(await makeBackend(), { NH: 4, NKV: 2 }, tol);
  });

  it('qwen2 (q/k/v biases), untied LM head: KV-cache decode equals the full forward', async () => {
    await checkCacheMatchesFull(await makeBackend(), { modelType: 'qwen2', tied: false, NKV: 1 }, tol);
  });

  it('the memory hook sees `activations` a; zero memory is bit-identical, nonzero changes the output', async () => {
    const b = await makeBackend();
    const model = await tinyModel(b);
    const { hiddenSize: C, intermediateSize: H } = model.config;
    const expectedA = await model.activations(ids, 1);
    const base = await model.forward(ids);
    const wm = b.alloc([C, H]);
    const cols = b.upload([3], { dtype: 'i32', data: Int32Array.from([0, 7, 30]) });
    let seen: Float32Array | null = null;
    const hook = {
      layer: 1,
      select: async (a: Tensor) => {
        seen = await b.download(a);
        return { wm, cols };
      },
    };
    expect(await model.forward(ids, { memory: hook })).toEqual(base);
    expectClose(seen!, expectedA, { atol: tol.logits, label: 'a at layer 1' }); // cache vs no-cache attention
    b.write(wm, randn(C * H, 3));
    const edited = await model.forward(ids, { memory: hook });
    expect(edited).not.toEqual(base);
    expect(await model.forward(ids, { memory: { layer: 1, select: () => null } })).toEqual(base);
    for (const t of [wm, cols]) b.free(t);
    model.free();
  });

  // Measured max |Δlogit| / max |logit| on this model, the embedding and tied LM head quantized with
  // the rest: f16 5.2e-4, q8 0.013, q4 0.39 (0.17 with them in f32: 4-bit blocks of Gaussian weights
  // lose ~10% per matmul); per-op exactness of the decode is tested in cpu/forward.
  it.each([
    ['f16', 0.002],
    ['q8', 0.02],
    ['q4', 0.5],
  ] as const)('%s weights keep logits within %f of the f32 logit range', async (precision, rel) => {
    const b = await makeBackend();
    const spec = { C: 32, H: 64, NH: 2, NKV: 2 };
    const [f32Model, model] = [await tinyModel(b, spec), await tinyModel(b, spec, precision)];
    const ref = await f32Model.forward(ids, { allLogits: true });
    const got = await model.forward(ids, { allLogits: true });
    f32Model.free();
    model.free();
    const scale = Math.max(...Array.from(ref, Math.abs));
    expectClose(got, ref, { atol: rel * scale, rtol: 0, label: precision });
  });

  it('refuses a prompt longer than the cache, naming both sizes', async () => {
    const model = await tinyModel(await makeBackend());
    const cache = model.newCache(4);
    await expect(model.forward(ids, { cache })).rejects.toThrow(
      /0 cached \+ 7 new tokens exceed the KV cache's 4/,
    );
    cache.free();
    model.free();
  });
}

/** The whole edit gradient, loss → dWm at `layer`, against central finite differences (eps 1e-2) on a
 *  few masked entries; unmasked columns get exactly 0. */
async function checkEditGradient(
  b: Backend,
  spec: TinySpec,
  layer: number,
  precision: WeightPrecision,
  tol: ModelTolerances,
): Promise<void> {
  const model = await tinyModel(b, spec, precision);
  const { hiddenSize: C, intermediateSize: H } = model.config;
  const wmHost = randn(C * H, 7, 0.3);
  const wm = b.upload([C, H], { dtype: 'f32', data: wmHost });
  const colsT = b.upload([cols.length], { dtype: 'i32', data: cols });
  const dwm = b.alloc([C, H]);
  const pass = await EditPass.prepare(model, editIds, targets, layer);
  await pass.step({ wm, cols: colsT }, { dwm });
  const grad = await b.download(dwm);

  const eps = 1e-2;
  const lossAt = async (i: number, delta: number) => {
    b.write(wm, Float32Array.of(wmHost[i] + delta), i);
    const loss = await pass.step({ wm, cols: colsT });
    b.write(wm, Float32Array.of(wmHost[i]), i);
    return loss;
  };
  const got: number[] = [];
  const want: number[] = [];
  for (let c = 0; c < C; c += 3) {
    for (const h of cols) {
      const i = c * H + h;
      got.push(grad[i]);
      want.push(((await lossAt(i, eps)) - (await lossAt(i, -eps))) / (2 * eps));
    }
  }
  expectClose(got, want, { ...tol.grad, label: `dWm layer ${layer} ${precision}` });
  const masked = new Set(cols);
  for (let i = 0; i < C * H; i++) if (!masked.has(i % H)) expect(grad[i]).toBe(0);
  for (const t of [wm, colsT, dwm]) b.free(t);
  pass.free();
  model.free();
}

/** EditPass's loss (memory at layer 0) equals the cross-entropy of `forward` with the same memory:
 *  the edit path and inference add the memory at the same place. */
async function checkEditLossMatchesInference(
  b: Backend,
  spec: TinySpec,
  tol: ModelTolerances,
): Promise<void> {
  const model = await tinyModel(b, spec);
  const { hiddenSize: C, intermediateSize: H, vocabSize: V } = model.config;
  const wm = b.upload([C, H], { dtype: 'f32', data: randn(C * H, 8, 0.3) });
  const colsT = b.upload([cols.length], { dtype: 'i32', data: cols });
  const residual = { wm, cols: colsT };
  const pass = await EditPass.prepare(model, editIds, targets, 0);
  const loss = await pass.step(residual);
  const logits = await model.forward(editIds, {
    allLogits: true,
    memory: { layer: 0, select: () => residual },
  });
  let expected = 0;
  for (let t = 0; t < editIds.length; t++) {
    if (targets[t] < 0) continue;
    const row = logits.subarray(t * V, (t + 1) * V);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    expected += lse - row[targets[t]];
  }
  expectClose([loss], [expected / 3], { atol: tol.loss, label: 'edit loss' });
  expect(Array.from(await b.download(pass.a)).length).toBe(editIds.length * H);
  for (const t of [wm, colsT]) b.free(t);
  pass.free();
  model.free();
}

/** Registers the edit-path tests; call inside a describe. */
export function editSuite(makeBackend: () => Promise<Backend>, tol: ModelTolerances): void {
  // q8 at C=32: an edit of a quantized model backpropagates through the quantized weights. The edit
  // pass runs the top layer's MLP on the scored rows only: layer 1 of 2 has no layer above, layer 0 of 2
  // only that top one, layer 0 of 3 a whole layer below it.
  it.each([
    [0, 2, 'f32', 16],
    [1, 2, 'f32', 16],
    [0, 3, 'f32', 16],
    [0, 2, 'q8', 32],
  ] as const)(
    'dWm at layer %i of %i (%s, C=%i) matches finite differences',
    async (layer, L, precision, C0) =>
      checkEditGradient(await makeBackend(), { C: C0, H: 2 * C0, L }, layer, precision, tol),
  );

  it('plain SGD on Wm alone (lr 1, ≤ 30 steps, half the columns) teaches the targets', async () => {
    const b = await makeBackend();
    const model = await tinyModel(b);
    const { hiddenSize: C, intermediateSize: H } = model.config;
    const wmHost = new Float32Array(C * H);
    const wm = b.upload([C, H], { dtype: 'f32', data: wmHost });
    const half = Int32Array.from({ length: H / 2 }, (_, j) => 2 * j);
    const residual = { wm, cols: b.upload([half.length], { dtype: 'i32', data: half }) };
    const pass = await EditPass.prepare(model, editIds, targets, 1);
    const first = await pass.step(residual);
    let loss = first;
    for (let it = 0; it < 30 && loss > 0.05; it++) {
      const dwm = b.alloc([C, H]);
      loss = await pass.step(residual, { dwm });
      const g = await b.download(dwm);
      b.free(dwm);
      for (let i = 0; i < g.length; i++) wmHost[i] -= g[i];
      b.write(wm, wmHost);
    }
    expect(await pass.step(residual)).toBeLessThan(0.1 * first);
    for (const t of [wm, residual.cols]) b.free(t);
    pass.free();
    model.free();
  });

  it('the edit loss equals cross-entropy of the inference logits with the same memory', async () =>
    checkEditLossMatchesInference(await makeBackend(), {}, tol));
}

/** A tiny gemma3_text: the last layer is full, the others slide (window `window`; so an edit below the
 *  top backpropagates through sliding attention), each kind with its own RoPE (v5 rope_parameters),
 *  query_pre_attn_scalar ≠ head_dim. */
export const gemma3Spec = (L: number, window = 16): TinySpec => ({
  modelType: 'gemma3_text',
  L,
  H: 32,
  extra: {
    layer_types: Array.from({ length: L }, (_, i) => (i < L - 1 ? 'sliding_attention' : 'full_attention')),
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
  // window 3 < the 6-7 tokens of these tests: the sliding layers mask keys in forward, decode and edit
  ['gemma3_text, sliding (window 3) + full layers', (L) => gemma3Spec(L, 3)],
];

/** Registers the per-family tests (llama3 rope, qwen3, gemma3_text); call inside a describe. */
export function familySuite(makeBackend: () => Promise<Backend>, tol: ModelTolerances): void {
  describe.each(FAMILIES)('%s', (_name, spec) => {
    it('KV-cache decode equals the full forward', async () => {
      await checkCacheMatchesFull(await makeBackend(), spec(2), tol);
    });

    it.each([
      [0, 3],
      [2, 3],
    ])('dWm at layer %i of %i matches finite differences', async (layer, L) => {
      await checkEditGradient(await makeBackend(), { ...spec(L), C: 16 }, layer, 'f32', tol);
    });

    it('the edit loss equals the inference cross-entropy with the same memory', async () => {
      await checkEditLossMatchesInference(await makeBackend(), spec(2), tol);
    });
  });
}
