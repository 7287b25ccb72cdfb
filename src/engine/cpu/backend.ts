// The CPU reference backend: implements Backend by checking shapes and calling the plain-loop ops
// of this folder on host typed arrays. Slow and obvious on purpose: it is the spec the WebGPU kernels
// are tested against, and the fallback where WebGPU is missing. Not optimized beyond loop order.

import { registerBackend, type Backend, type HostData, type Tensor } from '../backend';
import { EngineError } from '../errors';
import { checkRank, checkShape, numel } from '../shapes';
import { addForward } from './add';
import { attentionBackward, attentionForward, kvWrite } from './attention';
import { crossentropySoftmaxBackward, crossentropySoftmaxForward } from './crossentropy';
import { embeddingForward } from './embedding';
import { maskedMatmulAccumulate, maskedMatmulBackward } from './maskedmatmul';
import { matmulBackward, matmulForward } from './matmul';
import { rmsnormBackward, rmsnormForward } from './rmsnorm';
import { ropeBackward, ropeForward } from './rope';
import { swigluBackward, swigluForward } from './swiglu';
import { CpuTensor, checkHost, copyHost, cpu, f32, i32, sameShapes, weightData } from './tensor';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;

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
    const t = data instanceof Float32Array ? f32('write', 'dst', dst) : i32('write', 'dst', dst);
    if (offset < 0 || offset + data.length > numel(dst.shape)) {
      throw new EngineError(
        'SHAPE',
        `write: ${data.length} elements at offset ${offset} overflow dst (${dst.shape.join(', ')})`,
      );
    }
    t.set(data, offset);
  }

  async download(t: Tensor): Promise<Float32Array> {
    return f32('download', 't', t).slice(0, numel(t.shape));
  }

  view(t: Tensor, shape: readonly number[]): Tensor {
    const src = cpu('view', 't', t);
    if (numel(shape) !== numel(src.shape)) {
      throw new EngineError(
        'SHAPE',
        `view: (${shape.join(', ')}) has ${numel(shape)} elements, t (${src.shape.join(', ')}) has ${numel(src.shape)}`,
      );
    }
    return new CpuTensor([...shape], src.dtype, src.store, true);
  }

  free(t: Tensor): void {
    const owner = cpu('free', 't', t);
    if (owner.isView)
      throw new EngineError('SHAPE', `free: t (${t.shape.join(', ')}) is a view; free the original`);
    owner.store.freed = true;
  }

  async sync(): Promise<void> {}

  // ---- forward ops ----
  embeddingForward(out: Tensor, ids: Tensor, wte: Tensor): void {
    const op = 'embeddingForward';
    const [V, C] = checkRank(op, 'wte', wte.shape, 'V, C');
    const [T] = checkRank(op, 'ids', ids.shape, 'T');
    checkShape(op, 'out', out.shape, 'T, C', T, C);
    embeddingForward(f32(op, 'out', out), i32(op, 'ids', ids), f32(op, 'wte', wte), T, C, V);
  }

  rmsnormForward(out: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, eps: number): void {
    const op = 'rmsnormForward';
    const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
    checkShape(op, 'weight', weight.shape, 'C', C);
    checkShape(op, 'out', out.shape, 'N, C', N, C);
    checkShape(op, 'rstd', rstd.shape, 'N', N);
    rmsnormForward(
      f32(op, 'out', out),
      f32(op, 'rstd', rstd),
      f32(op, 'inp', inp),
      f32(op, 'weight', weight),
      N,
      C,
      eps,
    );
  }

  matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor | null): void {
    const op = 'matmulForward';
    const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
    const [OC] = checkRank(op, 'weight', weight.shape, 'OC, C');
    checkShape(op, 'weight', weight.shape, 'OC, C', OC, C);
    checkShape(op, 'out', out.shape, 'N, OC', N, OC);
    if (bias) checkShape(op, 'bias', bias.shape, 'OC', OC);
    const b = bias ? f32(op, 'bias', bias) : null;
    matmulForward(f32(op, 'out', out), f32(op, 'inp', inp), weightData(op, weight), b, N, C, OC);
  }

  ropeForward(out: Tensor, inp: Tensor, positions: Tensor, theta: number): void {
    const op = 'ropeForward';
    const [T, NH, HS] = checkRank(op, 'inp', inp.shape, 'T, NH, HS');
    if (HS % 2 !== 0) throw new EngineError('SHAPE', `${op}: head size HS=${HS} must be even`);
    checkShape(op, 'out', out.shape, 'T, NH, HS', T, NH, HS);
    checkShape(op, 'positions', positions.shape, 'T', T);
    ropeForward(f32(op, 'out', out), f32(op, 'inp', inp), i32(op, 'positions', positions), T, NH, HS, theta);
  }

  attentionForward(
    out: Tensor,
    probs: Tensor,
    q: Tensor,
    kCache: Tensor,
    vCache: Tensor,
    past: number,
  ): void {
    const op = 'attentionForward';
    const [T, NH, HS] = checkRank(op, 'q', q.shape, 'T, NH, HS');
    const [maxT, NKV] = checkRank(op, 'kCache', kCache.shape, 'maxT, NKV, HS');
    checkShape(op, 'kCache', kCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
    checkShape(op, 'vCache', vCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
    if (NH % NKV !== 0) throw new EngineError('SHAPE', `${op}: NH=${NH} must be a multiple of NKV=${NKV}`);
    if (past < 0 || past + T > maxT) {
      throw new EngineError('SHAPE', `${op}: past ${past} + T ${T} exceeds the cache's maxT ${maxT}`);
    }
    checkShape(op, 'out', out.shape, 'T, NH, HS', T, NH, HS);
    checkShape(op, 'probs', probs.shape, 'NH, T, Tk', NH, T, past + T);
    const [o, p, qq] = [f32(op, 'out', out), f32(op, 'probs', probs), f32(op, 'q', q)];
    attentionForward(o, p, qq, f32(op, 'kCache', kCache), f32(op, 'vCache', vCache), T, past, NH, NKV, HS);
  }

  kvWrite(cache: Tensor, src: Tensor, past: number): void {
    const op = 'kvWrite';
    const [T, NKV, HS] = checkRank(op, 'src', src.shape, 'T, NKV, HS');
    const [maxT] = checkRank(op, 'cache', cache.shape, 'maxT, NKV, HS');
    checkShape(op, 'cache', cache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
    if (past < 0 || past + T > maxT) {
      throw new EngineError('SHAPE', `${op}: past ${past} + T ${T} exceeds the cache's maxT ${maxT}`);
    }
    kvWrite(f32(op, 'cache', cache), f32(op, 'src', src), T, past, NKV, HS);
  }

  swigluForward(out: Tensor, gate: Tensor, up: Tensor): void {
    const op = 'swigluForward';
    checkRank(op, 'gate', gate.shape, 'N, H');
    sameShapes(op, ['gate', 'up', 'out'], [gate, up, out]);
    swigluForward(f32(op, 'out', out), f32(op, 'gate', gate), f32(op, 'up', up), numel(gate.shape));
  }

  addForward(out: Tensor, a: Tensor, b: Tensor): void {
    const op = 'addForward';
    sameShapes(op, ['a', 'b', 'out'], [a, b, out]);
    addForward(f32(op, 'out', out), f32(op, 'a', a), f32(op, 'b', b), numel(a.shape));
  }

  maskedMatmulAccumulate(out: Tensor, a: Tensor, wm: Tensor, cols: Tensor): void {
    const op = 'maskedMatmulAccumulate';
    const [N, H] = checkRank(op, 'a', a.shape, 'N, H');
    const [C] = checkRank(op, 'wm', wm.shape, 'C, H');
    checkShape(op, 'wm', wm.shape, 'C, H', C, H);
    checkShape(op, 'out', out.shape, 'N, C', N, C);
    const [k] = checkRank(op, 'cols', cols.shape, 'k');
    maskedMatmulAccumulate(
      f32(op, 'out', out),
      f32(op, 'a', a),
      f32(op, 'wm', wm),
      i32(op, 'cols', cols),
      N,
      C,
      H,
      k,
    );
  }

  crossentropySoftmaxForward(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void {
    const op = 'crossentropySoftmaxForward';
    const [N, V] = checkRank(op, 'logits', logits.shape, 'N, V');
    checkShape(op, 'probs', probs.shape, 'N, V', N, V);
    checkShape(op, 'losses', losses.shape, 'N', N);
    checkShape(op, 'targets', targets.shape, 'N', N);
    const [l, p] = [f32(op, 'losses', losses), f32(op, 'probs', probs)];
    crossentropySoftmaxForward(l, p, f32(op, 'logits', logits), i32(op, 'targets', targets), N, V);
  }

  // ---- backward ops ----
  crossentropySoftmaxBackward(dlogits: Tensor, probs: Tensor, targets: Tensor, count: number): void {
    const op = 'crossentropySoftmaxBackward';
    const [N, V] = checkRank(op, 'probs', probs.shape, 'N, V');
    checkShape(op, 'dlogits', dlogits.shape, 'N, V', N, V);
    checkShape(op, 'targets', targets.shape, 'N', N);
    if (!(count > 0)) throw new EngineError('SHAPE', `${op}: count must be > 0 scored rows, got ${count}`);
    const [d, p] = [f32(op, 'dlogits', dlogits), f32(op, 'probs', probs)];
    crossentropySoftmaxBackward(d, p, i32(op, 'targets', targets), count, N, V);
  }

  matmulBackward(
    dinp: Tensor | null,
    dweight: Tensor | null,
    dbias: Tensor | null,
    dout: Tensor,
    inp: Tensor,
    weight: Tensor,
  ): void {
    const op = 'matmulBackward';
    const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
    const [OC] = checkRank(op, 'weight', weight.shape, 'OC, C');
    checkShape(op, 'weight', weight.shape, 'OC, C', OC, C);
    checkShape(op, 'dout', dout.shape, 'N, OC', N, OC);
    if (dinp) checkShape(op, 'dinp', dinp.shape, 'N, C', N, C);
    if (dweight) checkShape(op, 'dweight', dweight.shape, 'OC, C', OC, C);
    if (dbias) checkShape(op, 'dbias', dbias.shape, 'OC', OC);
    const di = dinp ? f32(op, 'dinp', dinp) : null;
    const dw = dweight ? f32(op, 'dweight', dweight) : null;
    const db = dbias ? f32(op, 'dbias', dbias) : null;
    matmulBackward(di, dw, db, f32(op, 'dout', dout), f32(op, 'inp', inp), weightData(op, weight), N, C, OC);
  }

  rmsnormBackward(
    dinp: Tensor,
    dweight: Tensor | null,
    dout: Tensor,
    inp: Tensor,
    weight: Tensor,
    rstd: Tensor,
  ): void {
    const op = 'rmsnormBackward';
    const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
    sameShapes(op, ['inp', 'dout', 'dinp'], [inp, dout, dinp]);
    checkShape(op, 'weight', weight.shape, 'C', C);
    if (dweight) checkShape(op, 'dweight', dweight.shape, 'C', C);
    checkShape(op, 'rstd', rstd.shape, 'N', N);
    const dw = dweight ? f32(op, 'dweight', dweight) : null;
    const [di, d, x] = [f32(op, 'dinp', dinp), f32(op, 'dout', dout), f32(op, 'inp', inp)];
    rmsnormBackward(di, dw, d, x, f32(op, 'weight', weight), f32(op, 'rstd', rstd), N, C);
  }

  ropeBackward(dinp: Tensor, dout: Tensor, positions: Tensor, theta: number): void {
    const op = 'ropeBackward';
    const [T, NH, HS] = checkRank(op, 'dout', dout.shape, 'T, NH, HS');
    checkShape(op, 'dinp', dinp.shape, 'T, NH, HS', T, NH, HS);
    checkShape(op, 'positions', positions.shape, 'T', T);
    ropeBackward(
      f32(op, 'dinp', dinp),
      f32(op, 'dout', dout),
      i32(op, 'positions', positions),
      T,
      NH,
      HS,
      theta,
    );
  }

  attentionBackward(
    dq: Tensor,
    dk: Tensor,
    dv: Tensor,
    dout: Tensor,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    probs: Tensor,
  ): void {
    const op = 'attentionBackward';
    const [T, NH, HS] = checkRank(op, 'q', q.shape, 'T, NH, HS');
    const [, NKV] = checkRank(op, 'k', k.shape, 'T, NKV, HS');
    for (const [name, t] of [
      ['k', k],
      ['v', v],
      ['dk', dk],
      ['dv', dv],
    ] as const) {
      checkShape(op, name, t.shape, 'T, NKV, HS', T, NKV, HS);
    }
    checkShape(op, 'dq', dq.shape, 'T, NH, HS', T, NH, HS);
    checkShape(op, 'dout', dout.shape, 'T, NH, HS', T, NH, HS);
    checkShape(op, 'probs', probs.shape, 'NH, T, T', NH, T, T);
    const [a, b, c, d] = [f32(op, 'dq', dq), f32(op, 'dk', dk), f32(op, 'dv', dv), f32(op, 'dout', dout)];
    attentionBackward(
      a,
      b,
      c,
      d,
      f32(op, 'q', q),
      f32(op, 'k', k),
      f32(op, 'v', v),
      f32(op, 'probs', probs),
      T,
      NH,
      NKV,
      HS,
    );
  }

  swigluBackward(dgate: Tensor, dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor): void {
    const op = 'swigluBackward';
    checkRank(op, 'gate', gate.shape, 'N, H');
    sameShapes(op, ['gate', 'up', 'dout', 'dgate', 'dup'], [gate, up, dout, dgate, dup]);
    const [dg, du] = [f32(op, 'dgate', dgate), f32(op, 'dup', dup)];
    swigluBackward(
      dg,
      du,
      f32(op, 'dout', dout),
      f32(op, 'gate', gate),
      f32(op, 'up', up),
      numel(gate.shape),
    );
  }

  maskedMatmulBackward(dwm: Tensor, dout: Tensor, a: Tensor, cols: Tensor): void {
    const op = 'maskedMatmulBackward';
    const [N, H] = checkRank(op, 'a', a.shape, 'N, H');
    const [, C] = checkRank(op, 'dout', dout.shape, 'N, C');
    checkShape(op, 'dout', dout.shape, 'N, C', N, C);
    checkShape(op, 'dwm', dwm.shape, 'C, H', C, H);
    const [k] = checkRank(op, 'cols', cols.shape, 'k');
    maskedMatmulBackward(
      f32(op, 'dwm', dwm),
      f32(op, 'dout', dout),
      f32(op, 'a', a),
      i32(op, 'cols', cols),
      N,
      C,
      H,
      k,
    );
  }
}

registerBackend('cpu', async () => new CpuBackend());
