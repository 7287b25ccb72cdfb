// Launchers of the SwiGLU pair (dispatch shared with GeGLU in gated.ts). Outputs never alias inputs.
// dgate and dup are OVERWRITTEN.
import type { OpArgs } from '../../backend';
import { checkSwigluBackward, checkSwigluForward } from '../../contract';
import type { Runtime } from '../runtime';
import { gatedBackward, gatedForward } from './gated';
import swigluBackwardSrc from './swiglu_backward.wgsl?raw';
import swigluForwardSrc from './swiglu_forward.wgsl?raw';

const SWIGLU_FORWARD = { name: 'swiglu_forward', code: swigluForwardSrc };
const SWIGLU_BACKWARD = { name: 'swiglu_backward', code: swigluBackwardSrc };

/** out (N, H) = silu(gate) * up. */
export function swigluForward(rt: Runtime, ...[out, gate, up]: OpArgs<'swigluForward'>): void {
  const { n } = checkSwigluForward(out, gate, up);
  gatedForward(rt, 'swigluForward', SWIGLU_FORWARD, n, out, gate, up);
}

/** dgate, dup (N, H) overwritten. */
export function swigluBackward(rt: Runtime, ...[dgate, dup, dout, gate, up]: OpArgs<'swigluBackward'>): void {
  const { n } = checkSwigluBackward(dgate, dup, dout, gate, up);
  gatedBackward(rt, 'swigluBackward', SWIGLU_BACKWARD, n, { dgate, dup, dout, gate, up });
}
