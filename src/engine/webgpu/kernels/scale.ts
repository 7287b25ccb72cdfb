// Launcher of scaleForward (Gemma's embedding scale): one invocation per value, grid folded into y
// past 65535 workgroups. out may alias inp (the kernel then reads from out). Forward only.
import type { OpArgs } from '../../backend';
import { checkScaleForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { asGpu } from '../tensor';
import scaleForwardSrc from './scale_forward.wgsl?raw';

const SCALE_FORWARD = { name: 'scale_forward', code: scaleForwardSrc };
const WG = 256;

/** out = inp * s (s as f32); out may alias inp. */
export function scaleForward(rt: Runtime, ...[out, inp, s]: OpArgs<'scaleForward'>): void {
  const op = 'scaleForward';
  const { n } = checkScaleForward(out, inp, s);
  const [o, x] = [asGpu(op, 'out', out), asGpu(op, 'inp', inp)];
  const inPlace = o.buffer === x.buffer;
  const buffers = [o.buffer, inPlace ? rt.dummy : x.buffer];
  rt.dispatch(SCALE_FORWARD, { WG, IN_PLACE: inPlace }, buffers, [n, { f32: s }], grid1d(n, WG));
}
