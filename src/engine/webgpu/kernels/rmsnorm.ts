// Launchers of the RMSNorm pair: forward (one workgroup per row, saves rstd) and backward (dinp per
// row, then dweight per channel when asked). dinp is OVERWRITTEN, dweight ACCUMULATED.
import type { Tensor } from '../../backend';
import { checkDtype, checkRank, checkShape } from '../../shapes';
import { grid1d, type Runtime } from '../runtime';
import { buffersOf } from '../tensor';
import rmsnormBackwardSrc from './rmsnorm_backward.wgsl?raw';
import rmsnormBackwardDweightSrc from './rmsnorm_backward_dweight.wgsl?raw';
import rmsnormForwardSrc from './rmsnorm_forward.wgsl?raw';

const RMSNORM_FORWARD = { name: 'rmsnorm_forward', code: rmsnormForwardSrc };
const RMSNORM_BACKWARD = { name: 'rmsnorm_backward', code: rmsnormBackwardSrc };
const RMSNORM_BACKWARD_DWEIGHT = { name: 'rmsnorm_backward_dweight', code: rmsnormBackwardDweightSrc };
const WG = 64;

function checkF32(op: string, named: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(named)) checkDtype(op, name, t, ['f32']);
}

/** out (N, C), rstd (N) saved; inp (N, C), weight (C). */
export function rmsnormForward(
  rt: Runtime,
  out: Tensor,
  rstd: Tensor,
  inp: Tensor,
  weight: Tensor,
  eps: number,
): void {
  const op = 'rmsnormForward';
  const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
  checkShape(op, 'out', out.shape, 'N, C', N, C);
  checkShape(op, 'rstd', rstd.shape, 'N', N);
  checkShape(op, 'weight', weight.shape, 'C', C);
  checkF32(op, { out, rstd, inp, weight });
  const buffers = buffersOf(op, { out, rstd, inp, weight });
  rt.dispatch(RMSNORM_FORWARD, { WG }, buffers, [N, C, { f32: eps }], [N]);
}

/** dinp (N, C) overwritten, dweight (C) accumulated when not null. */
export function rmsnormBackward(
  rt: Runtime,
  dinp: Tensor,
  dweight: Tensor | null,
  dout: Tensor,
  inp: Tensor,
  weight: Tensor,
  rstd: Tensor,
): void {
  const op = 'rmsnormBackward';
  const [N, C] = checkRank(op, 'inp', inp.shape, 'N, C');
  checkShape(op, 'dinp', dinp.shape, 'N, C', N, C);
  checkShape(op, 'dout', dout.shape, 'N, C', N, C);
  checkShape(op, 'weight', weight.shape, 'C', C);
  checkShape(op, 'rstd', rstd.shape, 'N', N);
  checkF32(op, { dinp, dout, inp, weight, rstd });
  const [dx, dy, x, w, r] = buffersOf(op, { dinp, dout, inp, weight, rstd });
  if (dweight) {
    checkShape(op, 'dweight', dweight.shape, 'C', C);
    checkF32(op, { dweight });
    const [dw] = buffersOf(op, { dweight });
    rt.dispatch(RMSNORM_BACKWARD_DWEIGHT, { WG }, [dw, dy, x, r], [N, C], grid1d(C, WG));
  }
  rt.dispatch(RMSNORM_BACKWARD, { WG }, [dx, dy, x, w, r], [N, C], [N]);
}
