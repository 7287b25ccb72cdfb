// Launchers of grouped-query causal attention: forward against the KV cache (a serial kernel per
// (query, head) for short contexts, a workgroup per (head, query) otherwise; + kvWrite, a plain
// buffer copy into the cache) and backward without past, as two kernels sharing a dscores scratch:
// per query row (dq) and per key row (dk, dv). All three gradients are OVERWRITTEN.
import type { Tensor } from '../../backend';
import { EngineError } from '../../errors';
import { checkDtype, checkRank, checkShape } from '../../shapes';
import { grid1d, type Runtime } from '../runtime';
import { buffersOf } from '../tensor';
import attentionBackwardSrc from './attention_backward.wgsl?raw';
import attentionBackwardKvSrc from './attention_backward_kv.wgsl?raw';
import attentionForwardSrc from './attention_forward.wgsl?raw';
import attentionForwardSerialSrc from './attention_forward_serial.wgsl?raw';

const ATTENTION_FORWARD = { name: 'attention_forward', code: attentionForwardSrc };
const ATTENTION_FORWARD_SERIAL = { name: 'attention_forward_serial', code: attentionForwardSerialSrc };
const ATTENTION_BACKWARD = { name: 'attention_backward', code: attentionBackwardSrc };
const ATTENTION_BACKWARD_KV = { name: 'attention_backward_kv', code: attentionBackwardKvSrc };
const WG = 64;
const MAX_HS = 256; // the kernels stage one head row in workgroup memory
/** Up to this many keys one invocation per (query, head) does the row alone: barriers cost more than the
 *  row on SwiftShader (decode, Tk≈40, NH=4, HS=32: 0.2 ms vs 2 ms per call). */
export const SERIAL_MAX_TK = 128;

function checkHeads(op: string, NH: number, NKV: number, HS: number): void {
  if (NH % NKV !== 0) throw new EngineError('SHAPE', `${op}: NH=${NH} must be a multiple of NKV=${NKV}`);
  if (HS > MAX_HS)
    throw new EngineError('UNIMPLEMENTED', `webgpu: ${op} supports head size up to ${MAX_HS}, got ${HS}`);
}

function f32s(op: string, named: Record<string, Tensor>): GPUBuffer[] {
  for (const [name, t] of Object.entries(named)) checkDtype(op, name, t, ['f32']);
  return buffersOf(op, named);
}

/** out (T, NH, HS); probs (NH, T, Tk) saved; q (T, NH, HS); caches (maxT, NKV, HS) valid up to Tk = past + T. */
export function attentionForward(
  rt: Runtime,
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
  const Tk = past + T;
  checkHeads(op, NH, NKV, HS);
  checkShape(op, 'kCache', kCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  checkShape(op, 'vCache', vCache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  checkShape(op, 'out', out.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'probs', probs.shape, 'NH, T, Tk', NH, T, Tk);
  if (past < 0 || Tk > maxT)
    throw new EngineError('SHAPE', `${op}: past + T = ${Tk} exceeds the cache (maxT=${maxT})`);
  const buffers = f32s(op, { out, probs, q, kCache, vCache });
  const params = [T, NH, NKV, HS, Tk, past];
  if (Tk <= SERIAL_MAX_TK) rt.dispatch(ATTENTION_FORWARD_SERIAL, { WG }, buffers, params, grid1d(T * NH, WG));
  else rt.dispatch(ATTENTION_FORWARD, { WG }, buffers, params, [NH, T]);
}

/** Copies src (T, NKV, HS) into cache (maxT, NKV, HS) rows past..past+T-1, in stream order. */
export function kvWrite(rt: Runtime, cache: Tensor, src: Tensor, past: number): void {
  const op = 'kvWrite';
  const [T, NKV, HS] = checkRank(op, 'src', src.shape, 'T, NKV, HS');
  const [maxT] = checkRank(op, 'cache', cache.shape, 'maxT, NKV, HS');
  checkShape(op, 'cache', cache.shape, 'maxT, NKV, HS', maxT, NKV, HS);
  if (past < 0 || past + T > maxT) {
    throw new EngineError(
      'SHAPE',
      `${op}: rows ${past}..${past + T - 1} do not fit the cache (maxT=${maxT})`,
    );
  }
  const [c, s] = f32s(op, { cache, src });
  const row = NKV * HS * 4;
  rt.copy(s, 0, c, past * row, T * row);
}

/** dq (T, NH, HS), dk, dv (T, NKV, HS) overwritten; k, v (>= T, NKV, HS); probs (NH, T, T); no past. */
export function attentionBackward(
  rt: Runtime,
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
  const [Tkv, NKV] = checkRank(op, 'k', k.shape, 'Tk, NKV, HS');
  checkHeads(op, NH, NKV, HS);
  if (Tkv < T) throw new EngineError('SHAPE', `${op}: k holds ${Tkv} rows, fewer than T=${T}`);
  checkShape(op, 'k', k.shape, 'Tk, NKV, HS', Tkv, NKV, HS);
  checkShape(op, 'v', v.shape, 'Tk, NKV, HS', Tkv, NKV, HS);
  checkShape(op, 'probs', probs.shape, 'NH, T, Tk (no past: Tk = T)', NH, T, T);
  checkShape(op, 'dout', dout.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'dq', dq.shape, 'T, NH, HS', T, NH, HS);
  checkShape(op, 'dk', dk.shape, 'Tk, NKV, HS', T, NKV, HS);
  checkShape(op, 'dv', dv.shape, 'Tk, NKV, HS', T, NKV, HS);
  const [bdq, bdk, bdv, bdout, bq, bk, bv, bp] = f32s(op, { dq, dk, dv, dout, q, k, v, probs });
  const { buffer: dscores } = rt.pool.acquire(NH * T * T * 4, GPUBufferUsage.STORAGE, 'attention dscores');
  const params = [T, NH, NKV, HS];
  rt.dispatch(ATTENTION_BACKWARD, { WG }, [bdq, dscores, bdout, bk, bv, bp], params, [NH, T]);
  rt.dispatch(
    ATTENTION_BACKWARD_KV,
    { WG },
    [bdk, bdv, dscores, bdout, bq, bp],
    params,
    grid1d(T * NKV * HS, WG),
  );
  rt.pool.release(dscores); // reusable after the submit that carries these two dispatches
}
