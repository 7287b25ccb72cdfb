// Launchers of the RMSNorm pair: forward (one workgroup per row, saves rstd) and backward (dinp per
// row, then dweight per channel when asked). dinp is OVERWRITTEN, dweight ACCUMULATED.
import type { OpArgs } from '../../backend';
import { checkRmsnormBackward, checkRmsnormForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { buffersOf } from '../tensor';
import rmsnormBackwardSrc from './rmsnorm_backward.wgsl?raw';
import rmsnormBackwardDweightSrc from './rmsnorm_backward_dweight.wgsl?raw';
import rmsnormForwardSrc from './rmsnorm_forward.wgsl?raw';

const RMSNORM_FORWARD = { name: 'rmsnorm_forward', code: rmsnormForwardSrc };
const RMSNORM_BACKWARD = { name: 'rmsnorm_backward', code: rmsnormBackwardSrc };
const RMSNORM_BACKWARD_DWEIGHT = { name: 'rmsnorm_backward_dweight', code: rmsnormBackwardDweightSrc };
const WG = 64;

/** out (N, C), rstd (N) saved; inp (N, C), weight (C). */
export function rmsnormForward(
  rt: Runtime,
  ...[out, rstd, inp, weight, eps]: OpArgs<'rmsnormForward'>
): void {
  const op = 'rmsnormForward';
  const { N, C } = checkRmsnormForward(out, rstd, inp, weight, eps);
  const buffers = buffersOf(op, { out, rstd, inp, weight });
  rt.dispatch(RMSNORM_FORWARD, { WG }, buffers, [N, C, { f32: eps }], [N]);
}

/** dinp (N, C) overwritten, dweight (C) accumulated when not null. */
export function rmsnormBackward(
  rt: Runtime,
  ...[dinp, dweight, dout, inp, weight, rstd]: OpArgs<'rmsnormBackward'>
): void {
  const op = 'rmsnormBackward';
  const { N, C } = checkRmsnormBackward(dinp, dweight, dout, inp, weight, rstd);
  const [dx, dy, x, w, r] = buffersOf(op, { dinp, dout, inp, weight, rstd });
  if (dweight) {
    const [dw] = buffersOf(op, { dweight });
    rt.dispatch(RMSNORM_BACKWARD_DWEIGHT, { WG }, [dw, dy, x, r], [N, C], grid1d(C, WG));
  }
  rt.dispatch(RMSNORM_BACKWARD, { WG }, [dx, dy, x, w, r], [N, C], [N]);
}
