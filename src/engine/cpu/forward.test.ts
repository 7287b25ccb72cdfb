// CPU reference ops, forward: each against a tiny case computed by hand (values in the comments).
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../../tests/helpers/expect-close';
import { addForward } from './add';
import { attentionForward, kvWrite } from './attention';
import { crossentropySoftmaxForward } from './crossentropy';
import { embeddingForward } from './embedding';
import { gegluForward } from './geglu';
import { maskedMatmulAccumulate } from './maskedmatmul';
import { matmulForward } from './matmul';
import { rmsnormForward } from './rmsnorm';
import { ropeForward } from './rope';
import { ropeInvFreq } from '../rope-freq';
import { scaleForward } from './scale';
import { swigluForward } from './swiglu';
import { decodeWeight, encodeWeight } from '../quantize';
import { randn } from '../../../tests/helpers/random';

const f = (...x: number[]) => Float32Array.from(x);
const i = (...x: number[]) => Int32Array.from(x);

describe('cpu forward ops', () => {
  it('embeddingForward gathers rows; a block of rows first.. writes only the ids it holds', () => {
    const out = new Float32Array(4);
    const wte = { dtype: 'f32', data: f(1, 2, 3, 4, 5, 6) } as const;
    embeddingForward(out, i(2, 0), wte, 2, 2, 3);
    expectClose(out, f(5, 6, 1, 2), { label: 'embedding' });
    // The same table as rows 4..6 of a larger one: id 5 is its row 1; ids 0 and 7 are not its rows.
    out.fill(-1);
    embeddingForward(out, i(5, 0), wte, 2, 2, 3, 4);
    expect(out).toEqual(f(3, 4, -1, -1));
    embeddingForward(out, i(7, 3), wte, 2, 2, 3, 4);
    expect(out).toEqual(f(3, 4, -1, -1));
  });

  it.each(['f16', 'q8', 'q4'] as const)(
    'embeddingForward on a %s table gathers the rows the matmul decodes',
    (precision) => {
      const [V, C] = [5, 64];
      const wte = encodeWeight(randn(V * C, 3), V, C, precision);
      const table = decodeWeight(wte, V, C); // (V, C) as the LM head reads it
      const out = new Float32Array(3 * C).fill(NaN);
      embeddingForward(out, i(4, 0, 4), wte, 3, C, V);
      const want = new Float32Array(3 * C);
      [4, 0, 4].forEach((id, t) => want.set(table.subarray(id * C, (id + 1) * C), t * C));
      expectClose(out, want, { atol: 0, rtol: 0, label: `embedding ${precision}` });
    },
  );

  it('rmsnormForward: [3, 4] has mean square 12.5', () => {
    const out = new Float32Array(2);
    const rstd = new Float32Array(1);
    rmsnormForward(out, rstd, f(3, 4), f(1, 2), 1, 2, 0);
    const r = 1 / Math.sqrt(12.5);
    expectClose(rstd, f(r), { label: 'rstd' });
    expectClose(out, f(3 * r, 8 * r), { label: 'out' });
  });

  it('matmulForward: HF layout out = inp · Wᵀ + b', () => {
    const out = new Float32Array(2);
    // W rows are output channels: [1, 0] and [3, -1]
    matmulForward(out, f(1, 2), { dtype: 'f32', data: f(1, 0, 3, -1) }, f(0.5, 1), 1, 2, 2);
    expectClose(out, f(1.5, 2), { label: 'matmul' });
  });

  it.each(['f16', 'q8', 'q4'] as const)(
    'matmulForward with %s weights equals f32 on the decoded weights',
    (p) => {
      const [N, C, OC] = [2, 64, 3];
      const inp = randn(N * C, 1);
      const w = encodeWeight(randn(OC * C, 2), OC, C, p);
      const [got, want] = [new Float32Array(N * OC), new Float32Array(N * OC)];
      matmulForward(got, inp, w, null, N, C, OC);
      matmulForward(want, inp, { dtype: 'f32', data: decodeWeight(w, OC, C) }, null, N, C, OC);
      expectClose(got, want, { atol: 0, rtol: 0, label: p });
    },
  );

  it('ropeForward rotates channel i with i + HS/2 by pos * invFreq[i]', () => {
    const out = new Float32Array(4);
    // HS = 4: pair (0, 2) at frequency 1, pair (1, 3) at 10000^(-1/2) = 0.01; position 1.
    ropeForward(out, f(1, 1, 0, 0), i(1), ropeInvFreq(4, 10000), 1, 1, 4);
    expectClose(out, f(Math.cos(1), Math.cos(0.01), Math.sin(1), Math.sin(0.01)), { label: 'rope' });
    // Scaled frequencies (as llama3/linear rope_scaling make): position 3 at invFreq [0.5, 0.25].
    ropeForward(out, f(1, 0, 0, 2), i(3), f(0.5, 0.25), 1, 1, 4);
    expectClose(out, f(Math.cos(1.5), -2 * Math.sin(0.75), Math.sin(1.5), 2 * Math.cos(0.75)), {
      label: 'scaled rope',
    });
  });

  it('attentionForward: causal softmax over the cache, GQA heads share k/v', () => {
    // T = 2, NH = 2, NKV = 1, HS = 1; k = [0, ln 3] so query 1 weighs keys 1:3; v = [2, 6].
    const out = new Float32Array(4);
    const probs = new Float32Array(2 * 2 * 2);
    attentionForward(out, probs, f(1, 1, 1, 1), f(0, Math.log(3)), f(2, 6), 2, 0, 2, 1, 1, 0);
    expectClose(out, f(2, 2, 5, 5), { label: 'out' });
    expectClose(probs, f(1, 0, 0.25, 0.75, 1, 0, 0.25, 0.75), { label: 'probs' });
  });

  it('attentionForward with past: one decode token sees the whole cache', () => {
    const cache = new Float32Array(3); // maxT = 3, NKV = 1, HS = 1
    kvWrite(cache, f(0, Math.log(3)), 2, 0, 1, 1);
    const v = f(2, 6, 0);
    const out = new Float32Array(1);
    const probs = new Float32Array(2);
    attentionForward(out, probs, f(1), cache, v, 1, 1, 1, 1, 1, 0);
    expectClose(out, f(5), { label: 'decode out' });
  });

  it('attentionForward with a sliding window: query at position p sees keys p-window+1..p only', () => {
    // past = 1, T = 3 queries at positions 1..3, window 2, NH = NKV = HS = 1; k = [0, 0, ln 3, 0].
    // Without the window position 2 would also weigh key 0 (out 6 instead of 5).
    const [k, v, q] = [f(0, 0, Math.log(3), 0), f(10, 2, 6, 4), f(1, 1, 1)];
    const out = new Float32Array(3);
    const probs = new Float32Array(3 * 4);
    attentionForward(out, probs, q, k, v, 3, 1, 1, 1, 1, 2);
    const expected = f(0.5, 0.5, 0, 0, 0, 0.25, 0.75, 0, 0, 0, 0.75, 0.25);
    expectClose(probs, expected, { label: 'windowed probs' });
    expect(probs.filter((_, j) => expected[j] === 0)).toEqual(new Float32Array(6)); // exactly 0
    expectClose(out, f(6, 5, 5.5), { label: 'windowed out' });
    // A window at least as long as the context is full causal attention, like window 0.
    const [full, wide] = [new Float32Array(3), new Float32Array(3)];
    attentionForward(full, probs, q, k, v, 3, 1, 1, 1, 1, 0);
    attentionForward(wide, probs, q, k, v, 3, 1, 1, 1, 1, 4);
    expect(wide).toEqual(full);
    expectClose(full, f(6, 6, 34 / 6), { label: 'full out' });
  });

  it('swigluForward: silu(1) * 2 = 2σ(1)', () => {
    const out = new Float32Array(2);
    swigluForward(out, f(0, 1), f(5, 2), 2);
    expectClose(out, f(0, 2 / (1 + Math.exp(-1))), { label: 'swiglu' });
  });

  it('gegluForward: gelu_tanh(gate) * up, saturating without NaN at |gate| = 50', () => {
    const out = new Float32Array(6);
    // gelu_tanh(1) = 0.5 (1 + tanh(0.7978846 * 1.044715)) = 0.8411920, gelu_tanh(-1) = -0.1588080,
    // gelu_tanh(2) = 1.9545977, gelu_tanh(±50) = 50 and -0 (tanh saturates).
    gegluForward(out, f(0, 1, -1, 2, 50, -50), f(5, 2, 2, -1, 3, 3), 6);
    expectClose(out, f(0, 1.682384, -0.317616, -1.9545977, 150, 0), { atol: 1e-6, label: 'geglu' });
  });

  it('scaleForward multiplies by s rounded to f32, in place too', () => {
    const a = f(1, -2, 0.5);
    scaleForward(a, a, Math.sqrt(640), 3);
    const s = Math.fround(Math.sqrt(640)); // 25.298221 as torch's f32 embed_scale
    expect(Array.from(a)).toEqual([s, Math.fround(-2 * s), Math.fround(0.5 * s)]);
  });

  it('addForward may alias its output', () => {
    const a = f(1, 2);
    addForward(a, a, f(10, 20), 2);
    expectClose(a, f(11, 22), { label: 'add' });
  });

  it('maskedMatmulAccumulate reads only the listed columns', () => {
    const out = f(1);
    maskedMatmulAccumulate(out, f(1, 2, 3), f(10, 20, 30), i(0, 2), 1, 1, 3, 2);
    expectClose(out, f(101), { label: 'masked' }); // 1 + 1·10 + 3·30
  });

  it('crossentropySoftmaxForward: uniform logits cost ln V, ignored rows cost 0', () => {
    const losses = new Float32Array(2);
    const probs = new Float32Array(4);
    crossentropySoftmaxForward(losses, probs, f(0, 0, 1000, 0), i(1, -1), 2, 2);
    expectClose(losses, f(Math.LN2, 0), { label: 'losses' });
    expectClose(probs, f(0.5, 0.5, 1, 0), { label: 'probs' });
  });
});
