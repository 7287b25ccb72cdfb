// The CPU reference backend: implements Backend by checking arguments against ../contract.ts and
// calling the plain-loop ops of this folder on host typed arrays. Slow and obvious on purpose: it is
// the spec the WebGPU kernels are tested against, and the fallback where WebGPU is missing. Not
// optimized beyond loop order.

import { yieldToEventLoop } from '../../lib/yield';
import { registerBackend, type Backend, type HostData, type OpArgs, type Tensor } from '../backend';
import {
  checkAddForward,
  checkAttentionBackward,
  checkAttentionForward,
  checkCrossentropySoftmaxBackward,
  checkCrossentropySoftmaxForward,
  checkDownload,
  checkEmbeddingForward,
  checkGegluBackward,
  checkGegluForward,
  checkKvWrite,
  checkMaskedMatmulAccumulate,
  checkMaskedMatmulBackward,
  checkMatmulBackward,
  checkMatmulForward,
  checkRmsnormBackward,
  checkRmsnormForward,
  checkRopeBackward,
  checkRopeForward,
  checkScaleForward,
  checkSwigluBackward,
  checkSwigluForward,
  checkView,
  checkWrite,
} from '../contract';
import { EngineError } from '../errors';
import { numel } from '../shapes';
import { addForward } from './add';
import { attentionBackward, attentionForward, kvWrite } from './attention';
import { crossentropySoftmaxBackward, crossentropySoftmaxForward } from './crossentropy';
import { embeddingForward } from './embedding';
import { gegluBackward, gegluForward } from './geglu';
import { maskedMatmulAccumulate, maskedMatmulBackward } from './maskedmatmul';
import { matmulBackward, matmulForward } from './matmul';
import { rmsnormBackward, rmsnormForward } from './rmsnorm';
import { ropeBackward, ropeForward } from './rope';
import { scaleForward } from './scale';
import { swigluBackward, swigluForward } from './swiglu';
import { CpuTensor, checkHost, copyHost, cpu, f32, i32, weightData } from './tensor';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  /** Host memory: no per-buffer limit beyond what the JS engine allocates. */
  readonly limits = { maxBufferSize: Infinity, maxStorageBufferBindingSize: Infinity };

  // ---- memory ----
  alloc(shape: readonly number[], dtype: 'f32' | 'i32' = 'f32'): Tensor {
    const n = numel(shape);
    const host: HostData =
      dtype === 'f32' ? { dtype, data: new Float32Array(n) } : { dtype, data: new Int32Array(n) };
    return new CpuTensor([...shape], dtype, { host, freed: false });
  }

  upload(shape: readonly number[], host: HostData): Tensor {
    checkHost(shape, host);
    return new CpuTensor([...shape], host.dtype, { host: copyHost(host), freed: false });
  }

  write(dst: Tensor, data: Float32Array | Int32Array, offset = 0): void {
    checkWrite(dst, data, offset);
    (data instanceof Float32Array ? f32('write', 'dst', dst) : i32('write', 'dst', dst)).set(data, offset);
  }

  /** Also where a cancel gets through: see yieldToEventLoop. */
  async download(t: Tensor): Promise<Float32Array> {
    checkDownload(t);
    const data = f32('download', 't', t).slice(0, numel(t.shape));
    await yieldToEventLoop();
    return data;
  }

  view(t: Tensor, shape: readonly number[]): Tensor {
    const src = cpu('view', 't', t);
    checkView(src, shape);
    return new CpuTensor([...shape], src.dtype, src.store, true);
  }

  free(t: Tensor): void {
    const owner = cpu('free', 't', t);
    if (owner.isView)
      throw new EngineError('SHAPE', `free: t (${t.shape.join(', ')}) is a view; free the original`);
    owner.store.freed = true;
  }

  async sync(): Promise<void> {}

  // ---- forward ops: arguments checked by ../contract.ts, then the plain loops of this folder ----
  embeddingForward(...[out, ids, wte, first]: OpArgs<'embeddingForward'>): void {
    const { T, C, V, firstRow } = checkEmbeddingForward(out, ids, wte, first);
    const op = 'embeddingForward';
    const table = cpu(op, 'wte', wte).store.host; // dtype checked by the contract
    embeddingForward(f32(op, 'out', out), i32(op, 'ids', ids), table, T, C, V, firstRow);
  }

  rmsnormForward(...[out, rstd, inp, weight, eps]: OpArgs<'rmsnormForward'>): void {
    const { N, C } = checkRmsnormForward(out, rstd, inp, weight, eps);
    const f = (name: string, t: Tensor) => f32('rmsnormForward', name, t);
    rmsnormForward(f('out', out), f('rstd', rstd), f('inp', inp), f('weight', weight), N, C, eps);
  }

  matmulForward(...[out, inp, weight, bias, col]: OpArgs<'matmulForward'>): void {
    const dims = checkMatmulForward(out, inp, weight, bias, col);
    const { N, C, OC } = dims;
    const op = 'matmulForward';
    const b = bias ? f32(op, 'bias', bias) : null;
    const o = f32(op, 'out', out);
    // Columns of a wider out: the loops write (N, OC) rows, so they fill a scratch that is copied in.
    const y = dims.OCout === OC ? o : new Float32Array(N * OC);
    matmulForward(y, f32(op, 'inp', inp), weightData(op, weight), b, N, C, OC);
    if (y !== o)
      for (let n = 0; n < N; n++) o.set(y.subarray(n * OC, (n + 1) * OC), n * dims.OCout + dims.col);
  }

  ropeForward(...[out, inp, positions, invFreq]: OpArgs<'ropeForward'>): void {
    const { T, NH, HS } = checkRopeForward(out, inp, positions, invFreq);
    const op = 'ropeForward';
    const [o, x, pos] = [f32(op, 'out', out), f32(op, 'inp', inp), i32(op, 'positions', positions)];
    ropeForward(o, x, pos, f32(op, 'invFreq', invFreq), T, NH, HS);
  }

  attentionForward(...[out, probs, q, kCache, vCache, past, window]: OpArgs<'attentionForward'>): void {
    const { T, NH, NKV, HS } = checkAttentionForward(out, probs, q, kCache, vCache, past, window);
    const op = 'attentionForward';
    const [o, p, qq] = [f32(op, 'out', out), f32(op, 'probs', probs), f32(op, 'q', q)];
    const [kc, vc] = [f32(op, 'kCache', kCache), f32(op, 'vCache', vCache)];
    attentionForward(o, p, qq, kc, vc, T, past, NH, NKV, HS, window);
  }

  kvWrite(...[cache, src, past]: OpArgs<'kvWrite'>): void {
    const { T, NKV, HS } = checkKvWrite(cache, src, past);
    kvWrite(f32('kvWrite', 'cache', cache), f32('kvWrite', 'src', src), T, past, NKV, HS);
  }

  swigluForward(...[out, gate, up]: OpArgs<'swigluForward'>): void {
    const { n } = checkSwigluForward(out, gate, up);
    const op = 'swigluForward';
    swigluForward(f32(op, 'out', out), f32(op, 'gate', gate), f32(op, 'up', up), n);
  }

  gegluForward(...[out, gate, up]: OpArgs<'gegluForward'>): void {
    const { n } = checkGegluForward(out, gate, up);
    const op = 'gegluForward';
    gegluForward(f32(op, 'out', out), f32(op, 'gate', gate), f32(op, 'up', up), n);
  }

  addForward(...[out, a, b]: OpArgs<'addForward'>): void {
    const { n } = checkAddForward(out, a, b);
    const op = 'addForward';
    addForward(f32(op, 'out', out), f32(op, 'a', a), f32(op, 'b', b), n);
  }

  scaleForward(...[out, inp, s]: OpArgs<'scaleForward'>): void {
    const { n } = checkScaleForward(out, inp, s);
    scaleForward(f32('scaleForward', 'out', out), f32('scaleForward', 'inp', inp), s, n);
  }

  maskedMatmulAccumulate(...[out, a, wm, cols]: OpArgs<'maskedMatmulAccumulate'>): void {
    const { N, C, H, k } = checkMaskedMatmulAccumulate(out, a, wm, cols);
    const op = 'maskedMatmulAccumulate';
    const [o, x, w, c] = [f32(op, 'out', out), f32(op, 'a', a), f32(op, 'wm', wm), i32(op, 'cols', cols)];
    maskedMatmulAccumulate(o, x, w, c, N, C, H, k);
  }

  crossentropySoftmaxForward(
    ...[losses, probs, logits, targets]: OpArgs<'crossentropySoftmaxForward'>
  ): void {
    const { N, V } = checkCrossentropySoftmaxForward(losses, probs, logits, targets);
    const op = 'crossentropySoftmaxForward';
    const [l, p] = [f32(op, 'losses', losses), f32(op, 'probs', probs)];
    crossentropySoftmaxForward(l, p, f32(op, 'logits', logits), i32(op, 'targets', targets), N, V);
  }

  // ---- backward ops ----
  crossentropySoftmaxBackward(
    ...[dlogits, probs, targets, count]: OpArgs<'crossentropySoftmaxBackward'>
  ): void {
    const { N, V } = checkCrossentropySoftmaxBackward(dlogits, probs, targets, count);
    const op = 'crossentropySoftmaxBackward';
    const [d, p] = [f32(op, 'dlogits', dlogits), f32(op, 'probs', probs)];
    crossentropySoftmaxBackward(d, p, i32(op, 'targets', targets), count, N, V);
  }

  matmulBackward(...[dinp, dweight, dbias, dout, inp, weight, col]: OpArgs<'matmulBackward'>): void {
    const dims = checkMatmulBackward(dinp, dweight, dbias, dout, inp, weight, col);
    const { N, C, OC, OCout } = dims;
    const op = 'matmulBackward';
    const di = dinp ? f32(op, 'dinp', dinp) : null;
    const dw = dweight ? f32(op, 'dweight', dweight) : null;
    const db = dbias ? f32(op, 'dbias', dbias) : null;
    const d = f32(op, 'dout', dout);
    // Columns of a wider dout: gathered into (N, OC) rows, the layout the loops read.
    const dy = OCout === OC ? d : new Float32Array(N * OC);
    if (dy !== d)
      for (let n = 0; n < N; n++) dy.set(d.subarray(n * OCout + dims.col, n * OCout + dims.col + OC), n * OC);
    matmulBackward(di, dw, db, dy, f32(op, 'inp', inp), weightData(op, weight), N, C, OC);
  }

  rmsnormBackward(...[dinp, dweight, dout, inp, weight, rstd]: OpArgs<'rmsnormBackward'>): void {
    const { N, C } = checkRmsnormBackward(dinp, dweight, dout, inp, weight, rstd);
    const op = 'rmsnormBackward';
    const dw = dweight ? f32(op, 'dweight', dweight) : null;
    const [di, d, x] = [f32(op, 'dinp', dinp), f32(op, 'dout', dout), f32(op, 'inp', inp)];
    rmsnormBackward(di, dw, d, x, f32(op, 'weight', weight), f32(op, 'rstd', rstd), N, C);
  }

  ropeBackward(...[dinp, dout, positions, invFreq]: OpArgs<'ropeBackward'>): void {
    const { T, NH, HS } = checkRopeBackward(dinp, dout, positions, invFreq);
    const op = 'ropeBackward';
    const [di, d, pos] = [f32(op, 'dinp', dinp), f32(op, 'dout', dout), i32(op, 'positions', positions)];
    ropeBackward(di, d, pos, f32(op, 'invFreq', invFreq), T, NH, HS);
  }

  attentionBackward(...[dq, dk, dv, dout, q, k, v, probs, window]: OpArgs<'attentionBackward'>): void {
    const { T, NH, NKV, HS } = checkAttentionBackward(dq, dk, dv, dout, q, k, v, probs, window);
    const d = (name: string, t: Tensor) => f32('attentionBackward', name, t);
    const [gq, gk, gv, gout] = [d('dq', dq), d('dk', dk), d('dv', dv), d('dout', dout)];
    const [qq, kk, vv, p] = [d('q', q), d('k', k), d('v', v), d('probs', probs)];
    attentionBackward(gq, gk, gv, gout, qq, kk, vv, p, T, NH, NKV, HS, window);
  }

  swigluBackward(...[dgate, dup, dout, gate, up]: OpArgs<'swigluBackward'>): void {
    const { n } = checkSwigluBackward(dgate, dup, dout, gate, up);
    const d = (name: string, t: Tensor) => f32('swigluBackward', name, t);
    swigluBackward(d('dgate', dgate), d('dup', dup), d('dout', dout), d('gate', gate), d('up', up), n);
  }

  gegluBackward(...[dgate, dup, dout, gate, up]: OpArgs<'gegluBackward'>): void {
    const { n } = checkGegluBackward(dgate, dup, dout, gate, up);
    const d = (name: string, t: Tensor) => f32('gegluBackward', name, t);
    gegluBackward(d('dgate', dgate), d('dup', dup), d('dout', dout), d('gate', gate), d('up', up), n);
  }

  maskedMatmulBackward(...[dwm, dout, a, cols]: OpArgs<'maskedMatmulBackward'>): void {
    const { N, C, H, k } = checkMaskedMatmulBackward(dwm, dout, a, cols);
    const op = 'maskedMatmulBackward';
    const [w, d, x, c] = [f32(op, 'dwm', dwm), f32(op, 'dout', dout), f32(op, 'a', a), i32(op, 'cols', cols)];
    maskedMatmulBackward(w, d, x, c, N, C, H, k);
  }
}

registerBackend('cpu', async () => new CpuBackend());
