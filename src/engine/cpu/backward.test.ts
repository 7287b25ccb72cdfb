// CPU reference ops, backward: each gradient against central finite differences of a random linear
// functional of the forward output, on tiny random shapes; plus the accumulate/overwrite contract.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../../tests/helpers/expect-close';
import { dot, numericGrad } from '../../../tests/helpers/finite-diff';
import { randn } from '../../../tests/helpers/random';
import { attentionBackward, attentionForward } from './attention';
import { crossentropySoftmaxBackward, crossentropySoftmaxForward } from './crossentropy';
import { gegluBackward, gegluForward } from './geglu';
import { maskedMatmulAccumulate, maskedMatmulBackward } from './maskedmatmul';
import { matmulBackward, matmulForward } from './matmul';
import { rmsnormBackward, rmsnormForward } from './rmsnorm';
import { ropeBackward, ropeForward } from './rope';
import { swigluBackward, swigluForward } from './swiglu';
import { decodeWeight, quantizeQ8 } from '../quantize';

const tol = { atol: 2e-3, rtol: 2e-2 };

describe('cpu backward ops vs finite differences', () => {
  it('rmsnormBackward: dinp and dweight', () => {
    const [N, C] = [3, 5];
    const inp = randn(N * C, 1);
    const weight = randn(C, 2);
    const w = randn(N * C, 3);
    const loss = () => {
      const out = new Float32Array(N * C);
      rmsnormForward(out, new Float32Array(N), inp, weight, N, C, 1e-5);
      return dot(out, w);
    };
    const out = new Float32Array(N * C);
    const rstd = new Float32Array(N);
    rmsnormForward(out, rstd, inp, weight, N, C, 1e-5);
    const dinp = new Float32Array(N * C);
    const dweight = new Float32Array(C);
    rmsnormBackward(dinp, dweight, w, inp, weight, rstd, N, C);
    expectClose(dinp, numericGrad(loss, inp), { ...tol, label: 'dinp' });
    expectClose(dweight, numericGrad(loss, weight), { ...tol, label: 'dweight' });
  });

  it('matmulBackward: dinp, dweight, dbias; parameter grads accumulate', () => {
    const [N, C, OC] = [3, 4, 5];
    const inp = randn(N * C, 4);
    const weight = randn(OC * C, 5);
    const bias = randn(OC, 6);
    const w = randn(N * OC, 7);
    const loss = () => {
      const out = new Float32Array(N * OC);
      matmulForward(out, inp, { dtype: 'f32', data: weight }, bias, N, C, OC);
      return dot(out, w);
    };
    const dinp = new Float32Array(N * C).fill(9); // overwritten
    const dweight = new Float32Array(OC * C);
    const dbias = new Float32Array(OC);
    matmulBackward(dinp, dweight, dbias, w, inp, { dtype: 'f32', data: weight }, N, C, OC);
    expectClose(dinp, numericGrad(loss, inp), { ...tol, label: 'dinp' });
    expectClose(dweight, numericGrad(loss, weight), { ...tol, label: 'dweight' });
    expectClose(dbias, numericGrad(loss, bias), { ...tol, label: 'dbias' });
    const once = dweight.slice();
    matmulBackward(null, dweight, null, w, inp, { dtype: 'f32', data: weight }, N, C, OC);
    expectClose(
      dweight,
      once.map((x) => 2 * x),
      { label: 'dweight accumulates' },
    );
  });

  it('matmulBackward through a q8 weight equals the f32 backward of the decoded weight', () => {
    const [N, C, OC] = [2, 32, 3];
    const q8 = { dtype: 'q8' as const, ...quantizeQ8(randn(OC * C, 8), OC, C) };
    const dout = randn(N * OC, 9);
    const [dq, df] = [new Float32Array(N * C), new Float32Array(N * C)];
    matmulBackward(dq, null, null, dout, new Float32Array(N * C), q8, N, C, OC);
    const decoded = { dtype: 'f32' as const, data: decodeWeight(q8, OC, C) };
    matmulBackward(df, null, null, dout, new Float32Array(N * C), decoded, N, C, OC);
    expectClose(dq, df, { label: 'q8 dinp' });
  });

  it('ropeBackward is the inverse rotation', () => {
    const [T, NH, HS] = [3, 2, 4];
    const inp = randn(T * NH * HS, 10);
    const pos = Int32Array.from([0, 5, 17]);
    const invFreq = Float32Array.from([1, 0.37]);
    const w = randn(T * NH * HS, 11);
    const loss = () => {
      const out = new Float32Array(T * NH * HS);
      ropeForward(out, inp, pos, invFreq, T, NH, HS);
      return dot(out, w);
    };
    const dinp = new Float32Array(T * NH * HS);
    ropeBackward(dinp, w, pos, invFreq, T, NH, HS);
    expectClose(dinp, numericGrad(loss, inp), { ...tol, label: 'rope dinp' });
  });

  it.each([
    [0, 3],
    [2, 5],
  ])('attentionBackward: dq, dk, dv with GQA (NH 4, NKV 2), window %i, T %i', (window, T) => {
    const [NH, NKV, HS] = [4, 2, 4];
    const q = randn(T * NH * HS, 12);
    const k = randn(T * NKV * HS, 13);
    const v = randn(T * NKV * HS, 14);
    const w = randn(T * NH * HS, 15);
    const probs = new Float32Array(NH * T * T);
    const fwd = () => {
      const out = new Float32Array(T * NH * HS);
      attentionForward(out, probs, q, k, v, T, 0, NH, NKV, HS, window);
      return dot(out, w);
    };
    const gq = numericGrad(fwd, q);
    const gk = numericGrad(fwd, k);
    const gv = numericGrad(fwd, v);
    fwd();
    const dq = new Float32Array(q.length);
    const dk = new Float32Array(k.length);
    const dv = new Float32Array(v.length);
    attentionBackward(dq, dk, dv, w, q, k, v, probs, T, NH, NKV, HS, window);
    expectClose(dq, gq, { ...tol, label: 'dq' });
    expectClose(dk, gk, { ...tol, label: 'dk' });
    expectClose(dv, gv, { ...tol, label: 'dv' });
  });

  it('swigluBackward: dgate and dup', () => {
    const n = 7;
    const gate = randn(n, 16, 2);
    const up = randn(n, 17);
    const w = randn(n, 18);
    const loss = () => {
      const out = new Float32Array(n);
      swigluForward(out, gate, up, n);
      return dot(out, w);
    };
    const [dgate, dup] = [new Float32Array(n), new Float32Array(n)];
    swigluBackward(dgate, dup, w, gate, up, n);
    expectClose(dgate, numericGrad(loss, gate), { ...tol, label: 'dgate' });
    expectClose(dup, numericGrad(loss, up), { ...tol, label: 'dup' });
  });

  it('gegluBackward: dgate and dup, overwritten, finite out to |gate| = 50', () => {
    const n = 9;
    const gate = randn(n, 19, 2);
    gate.set([50, -50, 6], 0); // saturated tanh: d gelu/dg = 1, 0, ~1
    const up = randn(n, 20);
    const w = randn(n, 21);
    const loss = () => {
      const out = new Float32Array(n);
      gegluForward(out, gate, up, n);
      return dot(out, w);
    };
    const [dgate, dup] = [new Float32Array(n).fill(9), new Float32Array(n).fill(9)];
    gegluBackward(dgate, dup, w, gate, up, n);
    expectClose(dgate, numericGrad(loss, gate), { ...tol, label: 'dgate' });
    expectClose(dup, numericGrad(loss, up), { ...tol, label: 'dup' });
    expect(dgate[1]).toBe(0);
  });

  it('crossentropySoftmaxBackward: gradient of the mean loss over scored rows', () => {
    const [N, V] = [3, 6];
    const logits = randn(N * V, 19);
    const targets = Int32Array.from([2, -1, 5]);
    const loss = () => {
      const losses = new Float32Array(N);
      crossentropySoftmaxForward(losses, new Float32Array(N * V), logits, targets, N, V);
      return (losses[0] + losses[1] + losses[2]) / 2;
    };
    const probs = new Float32Array(N * V);
    crossentropySoftmaxForward(new Float32Array(N), probs, logits, targets, N, V);
    const dlogits = new Float32Array(N * V);
    crossentropySoftmaxBackward(dlogits, probs, targets, 2, N, V);
    expectClose(dlogits, numericGrad(loss, logits), { ...tol, label: 'dlogits' });
    expect(Array.from(dlogits.subarray(V, 2 * V)).every((x) => x === 0)).toBe(true);
  });

  it('maskedMatmulBackward touches only the masked columns', () => {
    const [N, C, H] = [2, 3, 6];
    const a = randn(N * H, 20);
    const wm = randn(C * H, 21);
    const cols = Int32Array.from([4, 1]);
    const w = randn(N * C, 22);
    const loss = () => {
      const out = new Float32Array(N * C);
      maskedMatmulAccumulate(out, a, wm, cols, N, C, H, 2);
      return dot(out, w);
    };
    const dwm = new Float32Array(C * H);
    maskedMatmulBackward(dwm, w, a, cols, N, C, H, 2);
    const expected = numericGrad(loss, wm);
    expectClose(dwm, expected, { ...tol, label: 'dwm' });
    for (let c = 0; c < C; c++) {
      for (const h of [0, 2, 3, 5]) expect(dwm[c * H + h]).toBe(0);
    }
  });
});
