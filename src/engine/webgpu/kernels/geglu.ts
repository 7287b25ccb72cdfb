// Launchers of the GeGLU pair (Gemma's MLP gate; dispatch shared with SwiGLU in gated.ts). Outputs
// never alias inputs. dgate and dup are OVERWRITTEN.
import type { OpArgs } from '../../backend';
import { checkGegluBackward, checkGegluForward } from '../../contract';
import type { Runtime } from '../runtime';
import { gatedBackward, gatedForward } from './gated';
import gegluBackwardSrc from './geglu_backward.wgsl?raw';
import gegluForwardSrc from './geglu_forward.wgsl?raw';

const GEGLU_FORWARD = { name: 'geglu_forward', code: gegluForwardSrc };
const GEGLU_BACKWARD = { name: 'geglu_backward', code: gegluBackwardSrc };

/** out (N, H) = gelu_tanh(gate) * up. */
export function gegluForward(rt: Runtime, ...[out, gate, up]: OpArgs<'gegluForward'>): void {
  const { n } = checkGegluForward(out, gate, up);
  gatedForward(rt, 'gegluForward', GEGLU_FORWARD, n, out, gate, up);
}

/** dgate, dup (N, H) overwritten. */
export function gegluBackward(rt: Runtime, ...[dgate, dup, dout, gate, up]: OpArgs<'gegluBackward'>): void {
  const { n } = checkGegluBackward(dgate, dup, dout, gate, up);
  gatedBackward(rt, 'gegluBackward', GEGLU_BACKWARD, n, { dgate, dup, dout, gate, up });
}
