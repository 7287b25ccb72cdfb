// Launchers of the SwiGLU pair: one invocation per value, grids folded into y past 65535 workgroups.
// Outputs never alias inputs. dgate and dup are OVERWRITTEN.
import type { OpArgs } from '../../backend';
import { checkSwigluBackward, checkSwigluForward } from '../../contract';
import { EngineError } from '../../errors';
import { grid1d, type Runtime } from '../runtime';
import { asGpu, noAlias } from '../tensor';
import swigluBackwardSrc from './swiglu_backward.wgsl?raw';
import swigluForwardSrc from './swiglu_forward.wgsl?raw';

const SWIGLU_FORWARD = { name: 'swiglu_forward', code: swigluForwardSrc };
const SWIGLU_BACKWARD = { name: 'swiglu_backward', code: swigluBackwardSrc };
const WG = 256;

/** out (N, H) = silu(gate) * up. */
export function swigluForward(rt: Runtime, ...[out, gate, up]: OpArgs<'swigluForward'>): void {
  const op = 'swigluForward';
  const { n } = checkSwigluForward(out, gate, up);
  const [o, g, u] = [asGpu(op, 'out', out), asGpu(op, 'gate', gate), asGpu(op, 'up', up)];
  noAlias(op, [o], [g, u]);
  rt.dispatch(SWIGLU_FORWARD, { WG }, [o.buffer, g.buffer, u.buffer], [n], grid1d(n, WG));
}

/** dgate, dup (N, H) overwritten. */
export function swigluBackward(rt: Runtime, ...[dgate, dup, dout, gate, up]: OpArgs<'swigluBackward'>): void {
  const op = 'swigluBackward';
  const { n } = checkSwigluBackward(dgate, dup, dout, gate, up);
  const named = { dgate, dup, dout, gate, up };
  const [dg, du, dy, g, u] = Object.entries(named).map(([name, t]) => asGpu(op, name, t));
  noAlias(op, [dg, du], [dy, g, u]);
  if (dg.buffer === du.buffer)
    throw new EngineError('SHAPE', `${op}: dgate and dup must be different tensors`);
  const buffers = [dg.buffer, du.buffer, dy.buffer, g.buffer, u.buffer];
  rt.dispatch(SWIGLU_BACKWARD, { WG }, buffers, [n], grid1d(n, WG));
}
