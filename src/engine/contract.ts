// The argument contract of every Backend op, written once: dtype and shape checks that throw SHAPE
// (STYLE §4: `rmsnormForward: weight must be (C)=(64), got (32)`) and return the dims the kernel needs.
// CPU ops and WebGPU launchers call these on entry. Not backend-specific checks: which backend owns a
// tensor, use-after-free, aliasing and kernel limits (e.g. WebGPU's maximum head size) stay there.

import type { DType, OpArgs, Tensor } from './backend';
import { EngineError } from './errors';
import { checkDtype, checkRank, checkShape, numel, sameShape } from './shapes';

/** Dtypes a Linear weight (and an embedding table) may have; decoded inside the kernels. */
const WEIGHT_DTYPES: readonly DType[] = ['f32', 'f16', 'q8', 'q4'];

/** Throws SHAPE unless every tensor given (nulls are skipped) is f32. */
function checkF32(op: string, named: Record<string, Tensor | null>): void {
  for (const [name, t] of Object.entries(named)) if (t) checkDtype(op, name, t, ['f32']);
}

/** Throws SHAPE unless every tensor is f32 and shaped like the first; returns its element count. */
function checkSameShapes(op: string, named: Record<string, Tensor>): number {
  const [[first, t0], ...rest] = Object.entries(named);
  for (const [name, t] of rest) {
    if (!sameShape(t.shape, t0.shape)) {
      throw new EngineError(
        'SHAPE',
        `${op}: ${name} must be (${t0.shape.join(', ')}) like ${first}, got (${t.shape.join(', ')})`,
      );
    }
  }
  checkF32(op, named);
  return numel(t0.shape);
}

function checkPast(op: string, past: number, T: number, maxT: number): void {
  if (past >= 0 && past + T <= maxT) return;
  throw new EngineError('SHAPE', `${op}: past ${past} + T ${T} exceeds the cache's maxT ${maxT}`);
}

/** window: keys a query sees, counting itself; 0 = full causal. */
function checkWindow(op: string, window: number): void {
  if (Number.isInteger(window) && window >= 0) return;
  throw new EngineError('SHAPE', `${op}: window must be an integer >= 0 (0 = full causal), got ${window}`);
}

function checkHeads(op: string, NH: number, NKV: number): void {
  if (NH % NKV !== 0) throw new EngineError('SHAPE', `${op}: NH=${NH} must be a multiple of NKV=${NKV}`);
}

// ---- memory ----

export function checkWrite(...[dst, data, offset = 0]: OpArgs<'write'>): void {
  checkDtype('write', 'dst', dst, [data instanceof Float32Array ? 'f32' : 'i32']);
  if (offset < 0 || offset + data.length > numel(dst.shape)) {
    throw new EngineError(
      'SHAPE',
      `write: ${data.length} elements at offset ${offset} overflow dst (${dst.shape.join(', ')})`,
    );
  }
}

export function checkDownload(...[t]: OpArgs<'download'>): void {
  checkDtype('download', 't', t, ['f32']);
}

export function checkView(...[t, shape]: OpArgs<'view'>): void {
  if (numel(shape) === numel(t.shape)) return;
  throw new EngineError(
    'SHAPE',
    `view: (${shape.join(', ')}) has ${numel(shape)} elements, t (${t.shape.join(', ')}) has ${numel(t.shape)}`,
  );
}

// ---- forward ops ----

export function checkEmbeddingForward(...[out, ids, wte, firstRow = 0]: OpArgs<'embeddingForward'>) {
  const op = 'embeddingForward';
  const [V, C] = checkRank(op, 'wte', wte.shape, 'V, C');
  const [T] = checkRank(op, 'ids', ids.shape, 'T');
  checkShape(op, 'out', out.shape, 'T, C', T, C);
  checkF32(op, { out });
  checkDtype(op, 'wte', wte, WEIGHT_DTYPES);
  checkDtype(op, 'ids', ids, ['i32']);
  checkIndex(op, 'firstRow', firstRow);
  return { T, C, V, firstRow };
}

/** An op's row or column offset: an integer >= 0. */
function checkIndex(op: string, name: string, x: number): void {
  if (Number.isInteger(x) && x >= 0) return;
  throw new EngineError('SHAPE', `${op}: ${name} must be an integer >= 0, got ${x}`);
}

/** out/dout of a matmul: (N, OC), or with col (N, OCout) holding columns col..col+OC-1. Returns OCout. */
function checkColumns(op: string, name: string, t: Tensor, N: number, OC: number, col?: number): number {
  if (col === undefined) {
    checkShape(op, name, t.shape, 'N, OC', N, OC);
    return OC;
  }
  checkIndex(op, 'col', col);
  const [rows, OCout] = checkRank(op, name, t.shape, 'N, OCout');
  if (rows === N && OCout >= col + OC) return OCout;
  throw new EngineError(
    'SHAPE',
    `${op}: ${name} must be (N, OCout)=(${N}, >= col + OC = ${col + OC}), got (${t.shape.join(', ')})`,
  );
}

export function checkRmsnormForward(...[out, rstd, inp, weight]: OpArgs<'rmsnormForward'>) {
  const op = 'rmsnormForward';
  const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
  checkShape(op, 'weight', weight.shape, 'C', C);
  checkShape(op, 'out', out.shape, 'N, C', N, C);
  checkShape(op, 'rstd', rstd.shape, 'N', N);
  checkF32(op, { out, rstd, inp, weight });
  return { N, C };
}

/** Shared by the matmul pair: inp (N, C), weight (OC, C) of a weight dtype. */
function checkLinear(op: string, inp: Tensor, weight: Tensor) {
  const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
  const [OC] = checkRank(op, 'weight', weight.shape, 'OC, C');
  checkShape(op, 'weight', weight.shape, 'OC, C', OC, C);
  checkF32(op, { inp });
  checkDtype(op, 'weight', weight, WEIGHT_DTYPES);
  return { N, C, OC };
}

export function checkMatmulForward(...[out, inp, weight, bias, col]: OpArgs<'matmulForward'>) {
  const op = 'matmulForward';
  const dims = checkLinear(op, inp, weight);
  const OCout = checkColumns(op, 'out', out, dims.N, dims.OC, col);
  if (bias) checkShape(op, 'bias', bias.shape, 'OC', dims.OC);
  checkF32(op, { out, bias });
  return { ...dims, OCout, col: col ?? 0 };
}

/** Shared by the rope pair: `dst` is out/dinp, `src` inp/dout (T, NH, HS), HS even; invFreq (HS/2). */
function checkRope(
  op: string,
  names: [string, string],
  dst: Tensor,
  src: Tensor,
  positions: Tensor,
  invFreq: Tensor,
) {
  const [T, NH, HS] = checkRank(op, names[1], src.shape, 'T, NH, HS');
  if (HS % 2 !== 0) {
    throw new EngineError(
      'SHAPE',
      `${op}: head size HS=${HS} must be even (rotate_half pairs i with i + HS/2)`,
    );
  }
  checkShape(op, names[0], dst.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'positions', positions.shape, 'T', T);
  checkShape(op, 'invFreq', invFreq.shape, 'HS/2', HS / 2);
  checkF32(op, { [names[0]]: dst, [names[1]]: src, invFreq });
  checkDtype(op, 'positions', positions, ['i32']);
  return { T, NH, HS };
}

export function checkRopeForward(...[out, inp, positions, invFreq]: OpArgs<'ropeForward'>) {
  return checkRope('ropeForward', ['out', 'inp'], out, inp, positions, invFreq);
}

export function checkAttentionForward(
  ...[out, probs, q, kCache, vCache, past, window]: OpArgs<'attentionForward'>
) {
  const op = 'attentionForward';
  const [T, NH, HS] = checkRank(op, 'q', q.shape, 'T, NH, HS');
  const [maxT, NKV] = checkRank(op, 'kCache', kCache.shape, 'maxT, NKV, HS');
  checkShape(op, 'kCache', kCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  checkShape(op, 'vCache', vCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  checkHeads(op, NH, NKV);
  checkPast(op, past, T, maxT);
  checkWindow(op, window);
  const Tk = past + T;
  checkShape(op, 'out', out.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'probs', probs.shape, 'NH, T, Tk', NH, T, Tk);
  checkF32(op, { out, probs, q, kCache, vCache });
  return { T, NH, NKV, HS, Tk, maxT };
}

export function checkKvWrite(...[cache, src, past]: OpArgs<'kvWrite'>) {
  const op = 'kvWrite';
  const [T, NKV, HS] = checkRank(op, 'src', src.shape, 'T, NKV, HS');
  const [maxT] = checkRank(op, 'cache', cache.shape, 'maxT, NKV, HS');
  checkShape(op, 'cache', cache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  checkPast(op, past, T, maxT);
  checkF32(op, { cache, src });
  return { T, NKV, HS, maxT };
}

/** Shared by the gated-MLP pairs (SwiGLU, GeGLU): gate (N, H), every other tensor shaped like it. */
function checkGated(op: string, gate: Tensor, others: Record<string, Tensor>) {
  const [N, H] = checkRank(op, 'gate', gate.shape, 'N, H');
  return { N, H, n: checkSameShapes(op, { gate, ...others }) };
}

export function checkSwigluForward(...[out, gate, up]: OpArgs<'swigluForward'>) {
  return checkGated('swigluForward', gate, { up, out });
}

export function checkGegluForward(...[out, gate, up]: OpArgs<'gegluForward'>) {
  return checkGated('gegluForward', gate, { up, out });
}

export function checkAddForward(...[out, a, b]: OpArgs<'addForward'>) {
  return { n: checkSameShapes('addForward', { a, b, out }) };
}

export function checkScaleForward(...[out, inp, s]: OpArgs<'scaleForward'>) {
  if (!Number.isFinite(s)) throw new EngineError('SHAPE', `scaleForward: s must be finite, got ${s}`);
  return { n: checkSameShapes('scaleForward', { inp, out }) };
}

/** Shared by MEMOIR's masked pair: a (N, H), memory (C, H) named `wmName`, cols (k) i32. */
function checkMasked(op: string, a: Tensor, wm: Tensor, wmName: string, cols: Tensor) {
  const [N, H] = checkRank(op, 'a', a.shape, 'N, H');
  const [C] = checkRank(op, wmName, wm.shape, 'C, H');
  checkShape(op, wmName, wm.shape, 'C, H', C, H);
  const [k] = checkRank(op, 'cols', cols.shape, 'k');
  checkF32(op, { a, [wmName]: wm });
  checkDtype(op, 'cols', cols, ['i32']);
  return { N, C, H, k };
}

export function checkMaskedMatmulAccumulate(...[out, a, wm, cols]: OpArgs<'maskedMatmulAccumulate'>) {
  const op = 'maskedMatmulAccumulate';
  const dims = checkMasked(op, a, wm, 'wm', cols);
  checkShape(op, 'out', out.shape, 'N, C', dims.N, dims.C);
  checkF32(op, { out });
  return dims;
}

/** Shared by the cross-entropy pair: `name` (N, V) f32 holds a row of scores per target (N) i32. */
function checkScored(op: string, name: string, scores: Tensor, targets: Tensor) {
  const [N, V] = checkRank(op, name, scores.shape, 'N, V');
  checkShape(op, 'targets', targets.shape, 'N', N);
  checkF32(op, { [name]: scores });
  checkDtype(op, 'targets', targets, ['i32']);
  return { N, V };
}

export function checkCrossentropySoftmaxForward(
  ...[losses, probs, logits, targets]: OpArgs<'crossentropySoftmaxForward'>
) {
  const op = 'crossentropySoftmaxForward';
  const dims = checkScored(op, 'logits', logits, targets);
  checkShape(op, 'probs', probs.shape, 'N, V', dims.N, dims.V);
  checkShape(op, 'losses', losses.shape, 'N', dims.N);
  checkF32(op, { losses, probs });
  return dims;
}

// ---- backward ops ----

export function checkCrossentropySoftmaxBackward(
  ...[dlogits, probs, targets, count]: OpArgs<'crossentropySoftmaxBackward'>
) {
  const op = 'crossentropySoftmaxBackward';
  const dims = checkScored(op, 'probs', probs, targets);
  checkShape(op, 'dlogits', dlogits.shape, 'N, V', dims.N, dims.V);
  checkF32(op, { dlogits });
  if (!(count > 0))
    throw new EngineError('SHAPE', `${op}: count must be the number of scored rows (> 0), got ${count}`);
  return dims;
}

export function checkMatmulBackward(
  ...[dinp, dweight, dbias, dout, inp, weight, col]: OpArgs<'matmulBackward'>
) {
  const op = 'matmulBackward';
  const { N, C, OC } = checkLinear(op, inp, weight);
  const dims = { N, C, OC, OCout: checkColumns(op, 'dout', dout, N, OC, col), col: col ?? 0 };
  if (dinp) checkShape(op, 'dinp', dinp.shape, 'N, C', N, C);
  if (dweight) checkShape(op, 'dweight', dweight.shape, 'OC, C', OC, C);
  if (dbias) checkShape(op, 'dbias', dbias.shape, 'OC', OC);
  checkF32(op, { dinp, dweight, dbias, dout });
  return dims;
}

export function checkRmsnormBackward(...[dinp, dweight, dout, inp, weight, rstd]: OpArgs<'rmsnormBackward'>) {
  const op = 'rmsnormBackward';
  const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
  checkShape(op, 'dout', dout.shape, 'N, C', N, C);
  checkShape(op, 'dinp', dinp.shape, 'N, C', N, C);
  checkShape(op, 'weight', weight.shape, 'C', C);
  if (dweight) checkShape(op, 'dweight', dweight.shape, 'C', C);
  checkShape(op, 'rstd', rstd.shape, 'N', N);
  checkF32(op, { dinp, dweight, dout, inp, weight, rstd });
  return { N, C };
}

export function checkRopeBackward(...[dinp, dout, positions, invFreq]: OpArgs<'ropeBackward'>) {
  return checkRope('ropeBackward', ['dinp', 'dout'], dinp, dout, positions, invFreq);
}

/** No past: k and v are this call's own (T, NKV, HS) keys and values, not a cache. */
export function checkAttentionBackward(
  ...[dq, dk, dv, dout, q, k, v, probs, window]: OpArgs<'attentionBackward'>
) {
  const op = 'attentionBackward';
  const [T, NH, HS] = checkRank(op, 'q', q.shape, 'T, NH, HS');
  const [, NKV] = checkRank(op, 'k', k.shape, 'T, NKV, HS');
  checkHeads(op, NH, NKV);
  checkWindow(op, window);
  for (const [name, t] of Object.entries({ k, v, dk, dv })) {
    checkShape(op, name, t.shape, 'T, NKV, HS', T, NKV, HS);
  }
  checkShape(op, 'dq', dq.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'dout', dout.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'probs', probs.shape, 'NH, T, T', NH, T, T);
  checkF32(op, { dq, dk, dv, dout, q, k, v, probs });
  return { T, NH, NKV, HS };
}

export function checkSwigluBackward(...[dgate, dup, dout, gate, up]: OpArgs<'swigluBackward'>) {
  return checkGated('swigluBackward', gate, { up, dout, dgate, dup });
}

export function checkGegluBackward(...[dgate, dup, dout, gate, up]: OpArgs<'gegluBackward'>) {
  return checkGated('gegluBackward', gate, { up, dout, dgate, dup });
}

export function checkMaskedMatmulBackward(...[dwm, dout, a, cols]: OpArgs<'maskedMatmulBackward'>) {
  const op = 'maskedMatmulBackward';
  const dims = checkMasked(op, a, dwm, 'dwm', cols);
  checkShape(op, 'dout', dout.shape, 'N, C', dims.N, dims.C);
  checkF32(op, { dout });
  return dims;
}
