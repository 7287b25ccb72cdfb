// Launchers of the matmul pair. Forward picks the decode kernel (matmul_forward_vec) for N <= 32 rows
// and the 64×64-tiled kernel otherwise; weights f32 | f16 | q8 | q4 are decoded in-kernel. Backward
// runs the strided GEMM for dinp (OVERWRITTEN) and dweight (ACCUMULATED), plus a column sum for dbias.
import type { OpArgs } from '../../backend';
import { checkMatmulBackward, checkMatmulForward } from '../../contract';
import { EngineError } from '../../errors';
import { grid1d, type Runtime } from '../runtime';
import { asGpu, dtypeCode, GpuTensor } from '../tensor';
import matmulBackwardSrc from './matmul_backward.wgsl?raw';
import matmulBackwardBiasSrc from './matmul_backward_bias.wgsl?raw';
import matmulForwardSrc from './matmul_forward.wgsl?raw';
import matmulForwardVecSrc from './matmul_forward_vec.wgsl?raw';

const MATMUL_FORWARD = { name: 'matmul_forward', code: matmulForwardSrc };
const MATMUL_FORWARD_VEC = { name: 'matmul_forward_vec', code: matmulForwardVecSrc };
const MATMUL_BACKWARD = { name: 'matmul_backward', code: matmulBackwardSrc };
const MATMUL_BACKWARD_BIAS = { name: 'matmul_backward_bias', code: matmulBackwardBiasSrc };
const TILE = 64; // output tile edge of matmul_forward / matmul_backward
const VEC_WG = 64; // invocations per workgroup of matmul_forward_vec, 4 outputs each
/** Up to this many rows the vector kernel wins: it reads the weight once per row, the tiled one pads rows
 *  to 64 and pays for barriers. On SwiftShader (C=128, f32, OC=2048 / 128 with C=2048): N=20 38 / 38 ms
 *  vs tiled 165 / 84 ms; N=64 123 / 125 ms vs tiled 264 / 90 ms. */
export const VEC_MAX_N = 32;

/** out (N, OC) = inp (N, C) · weightᵀ + bias; weight (OC, C) f32 | f16 | q8 | q4; bias (OC) or null.
 *  With col: columns col.. of out (N, OCout). */
export function matmulForward(rt: Runtime, ...[out, inp, weight, bias, col]: OpArgs<'matmulForward'>): void {
  const op = 'matmulForward';
  const { N, C, OC, OCout, col: col0 } = checkMatmulForward(out, inp, weight, bias, col);
  const o = asGpu(op, 'out', out);
  const x = asGpu(op, 'inp', inp);
  const w = asGpu(op, 'weight', weight);
  if (o.buffer === x.buffer) throw new EngineError('SHAPE', `${op}: out may not alias inp`);
  const b = bias ? asGpu(op, 'bias', bias).buffer : rt.dummy;
  const overrides = { DTYPE: dtypeCode(weight.dtype), HAS_BIAS: bias !== null };
  const buffers = [o.buffer, x.buffer, w.buffer, w.scales ?? rt.dummy, b];
  if (N <= VEC_MAX_N) {
    const [gx, gy] = grid1d(Math.ceil(OC / 4), VEC_WG);
    rt.dispatch(
      MATMUL_FORWARD_VEC,
      { ...overrides, WG: VEC_WG, ALIGNED4: C % 4 === 0 },
      buffers,
      [N, C, OC, OCout, col0],
      [gx, gy, N],
    );
  } else {
    const grid = [Math.ceil(OC / TILE), Math.ceil(N / TILE)] as const;
    rt.dispatch(MATMUL_FORWARD, overrides, buffers, [N, C, OC, OCout, col0], grid);
  }
}

/** dinp (N, C) overwritten; dweight (OC, C) and dbias (OC) f32, accumulated when not null.
 *  weight (OC, C) f32 | f16 | q8 | q4, decoded in-kernel for dinp as in the forward. With col: dout's
 *  columns col.. of (N, OCout). */
export function matmulBackward(
  rt: Runtime,
  ...[dinp, dweight, dbias, dout, inp, weight, col]: OpArgs<'matmulBackward'>
): void {
  const op = 'matmulBackward';
  const dims = checkMatmulBackward(dinp, dweight, dbias, dout, inp, weight, col);
  const { N, C, OC, OCout } = dims;
  const dy = asGpu(op, 'dout', dout).buffer;
  const x = asGpu(op, 'inp', inp).buffer;
  const w = asGpu(op, 'weight', weight);
  /** out (M, NN) = A · B (+= when accumulating); b = weight (decoded per its dtype) or inp. */
  const gemm = (out: GPUBuffer, b: GpuTensor | GPUBuffer, params: number[], accumulate: boolean) => {
    const [M, NN] = params;
    const grid = [Math.ceil(NN / TILE), Math.ceil(M / TILE)] as const;
    const [bBuffer, bScales, bDtype] =
      b instanceof GpuTensor ? [b.buffer, b.scales ?? rt.dummy, dtypeCode(b.dtype)] : [b, rt.dummy, 0];
    const overrides = { ACCUMULATE: accumulate, B_DTYPE: bDtype };
    rt.dispatch(MATMUL_BACKWARD, overrides, [out, dy, bBuffer, bScales], params, grid);
  };
  if (dinp) {
    // dinp[n, c] = sum_o dout[n, o] weight[o, c]: A = dout (sam OCout, sak 1), B = weight (sbk C, sbn 1).
    gemm(asGpu(op, 'dinp', dinp).buffer, w, [N, C, OC, OCout, 1, C, 1, dims.col], false);
  }
  if (dweight) {
    // dweight[o, c] += sum_n dout[n, o] inp[n, c]: A = doutᵀ (sam 1, sak OCout), B = inp (sbk C, sbn 1).
    gemm(asGpu(op, 'dweight', dweight).buffer, x, [OC, C, N, 1, OCout, C, 1, dims.col], true);
  }
  if (dbias) {
    rt.dispatch(
      MATMUL_BACKWARD_BIAS,
      { WG: 64 },
      [asGpu(op, 'dbias', dbias).buffer, dy],
      [N, OC, OCout, dims.col],
      grid1d(OC, 64),
    );
  }
}
