// Launchers of grouped-query causal attention, optionally over a sliding window of keys (common.wgsl
// attention_first_key): forward against the KV cache (a serial kernel per (query, head) for short
// contexts, a workgroup per (head, query) otherwise; + kvWrite, a plain buffer copy into the cache) and
// backward without past, as two kernels sharing a dscores scratch: per query row (dq) and per key row
// (dk, dv). All three gradients are OVERWRITTEN.
import type { OpArgs } from '../../backend';
import { checkAttentionBackward, checkAttentionForward, checkKvWrite } from '../../contract';
import { EngineError } from '../../errors';
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

/** This backend's limit on top of the contract (../../contract.ts). */
function checkHeadSize(op: string, HS: number): void {
  if (HS > MAX_HS)
    throw new EngineError('UNIMPLEMENTED', `webgpu: ${op} supports head size up to ${MAX_HS}, got ${HS}`);
}

/** out (T, NH, HS); probs (NH, T, Tk) saved; q (T, NH, HS); caches (maxT, NKV, HS) valid up to Tk = past + T. */
export function attentionForward(
  rt: Runtime,
  ...[out, probs, q, kCache, vCache, past, window]: OpArgs<'attentionForward'>
): void {
  const op = 'attentionForward';
  const { T, NH, NKV, HS, Tk } = checkAttentionForward(out, probs, q, kCache, vCache, past, window);
  checkHeadSize(op, HS);
  const buffers = buffersOf(op, { out, probs, q, kCache, vCache });
  const params = [T, NH, NKV, HS, Tk, past, window];
  if (Tk <= SERIAL_MAX_TK) rt.dispatch(ATTENTION_FORWARD_SERIAL, { WG }, buffers, params, grid1d(T * NH, WG));
  else rt.dispatch(ATTENTION_FORWARD, { WG }, buffers, params, [NH, T]);
}

/** Copies src (T, NKV, HS) into cache (maxT, NKV, HS) rows past..past+T-1, in stream order. */
export function kvWrite(rt: Runtime, ...[cache, src, past]: OpArgs<'kvWrite'>): void {
  const { T, NKV, HS } = checkKvWrite(cache, src, past);
  const [c, s] = buffersOf('kvWrite', { cache, src });
  const row = NKV * HS * 4;
  rt.copy(s, 0, c, past * row, T * row);
}

/** dq (T, NH, HS), dk, dv (T, NKV, HS) overwritten; k, v (T, NKV, HS); probs (NH, T, T); no past. */
export function attentionBackward(
  rt: Runtime,
  ...[dq, dk, dv, dout, q, k, v, probs, window]: OpArgs<'attentionBackward'>
): void {
  const op = 'attentionBackward';
  const { T, NH, NKV, HS } = checkAttentionBackward(dq, dk, dv, dout, q, k, v, probs, window);
  checkHeadSize(op, HS);
  const [bdq, bdk, bdv, bdout, bq, bk, bv, bp] = buffersOf(op, { dq, dk, dv, dout, q, k, v, probs });
  const { buffer: dscores } = rt.pool.acquire(NH * T * T * 4, GPUBufferUsage.STORAGE, 'attention dscores');
  const params = [T, NH, NKV, HS, window];
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
