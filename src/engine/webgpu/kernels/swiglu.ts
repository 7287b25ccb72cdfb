// Launchers of the SwiGLU pair: one invocation per value, grids folded into y past 65535 workgroups.
// Outputs never alias inputs. dgate and dup are OVERWRITTEN.
import type { Tensor } from '../../backend';
import { EngineError } from '../../errors';
import { grid1d, type Runtime } from '../runtime';
import { noAlias, sameShaped } from '../tensor';
import swigluBackwardSrc from './swiglu_backward.wgsl?raw';
import swigluForwardSrc from './swiglu_forward.wgsl?raw';

const SWIGLU_FORWARD = { name: 'swiglu_forward', code: swigluForwardSrc };
const SWIGLU_BACKWARD = { name: 'swiglu_backward', code: swigluBackwardSrc };
const WG = 256;

/** out (N, H) = silu(gate) * up. */
export function swigluForward(rt: Runtime, out: Tensor, gate: Tensor, up: Tensor): void {
  const op = 'swigluForward';
  const [o, g, u] = sameShaped(op, { out, gate, up });
  noAlias(op, [o], [g, u]);
  rt.dispatch(SWIGLU_FORWARD, { WG }, [o.buffer, g.buffer, u.buffer], [o.numel], grid1d(o.numel, WG));
}

/** dgate, dup (N, H) overwritten. */
export function swigluBackward(
  rt: Runtime,
  dgate: Tensor,
  dup: Tensor,
  dout: Tensor,
  gate: Tensor,
  up: Tensor,
): void {
  const op = 'swigluBackward';
  const [dg, du, dy, g, u] = sameShaped(op, { dgate, dup, dout, gate, up });
  noAlias(op, [dg, du], [dy, g, u]);
  if (dg.buffer === du.buffer)
    throw new EngineError('SHAPE', `${op}: dgate and dup must be different tensors`);
  const buffers = [dg.buffer, du.buffer, dy.buffer, g.buffer, u.buffer];
  rt.dispatch(SWIGLU_BACKWARD, { WG }, buffers, [dg.numel], grid1d(dg.numel, WG));
}
