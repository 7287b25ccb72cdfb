// Launchers of the rotary embedding pair (HF rotate_half convention). Both may run in place
// (out = inp, dinp = dout); the kernel then reads from its output binding. One invocation per pair.
// The inverse frequencies come in as a tensor (the caller's, plain or scaled), never made here.
import type { OpArgs, Tensor } from '../../backend';
import { checkRopeBackward, checkRopeForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { asGpu } from '../tensor';
import ropeBackwardSrc from './rope_backward.wgsl?raw';
import ropeForwardSrc from './rope_forward.wgsl?raw';

const ROPE_FORWARD = { name: 'rope_forward', code: ropeForwardSrc };
const ROPE_BACKWARD = { name: 'rope_backward', code: ropeBackwardSrc };
const WG = 256;

function launch(
  rt: Runtime,
  op: string,
  kernel: typeof ROPE_FORWARD,
  names: [string, string],
  dims: { T: number; NH: number; HS: number },
  dst: Tensor,
  src: Tensor,
  positions: Tensor,
  invFreq: Tensor,
): void {
  const { T, NH, HS } = dims;
  const d = asGpu(op, names[0], dst);
  const s = asGpu(op, names[1], src);
  const pos = asGpu(op, 'positions', positions);
  const freq = asGpu(op, 'invFreq', invFreq);
  const inPlace = d.buffer === s.buffer;
  const total = (T * NH * HS) / 2;
  const buffers = [d.buffer, inPlace ? rt.dummy : s.buffer, pos.buffer, freq.buffer];
  rt.dispatch(kernel, { WG, IN_PLACE: inPlace }, buffers, [T, NH, HS], grid1d(total, WG));
}

/** out, inp (T, NH, HS); positions (T) i32; invFreq (HS/2). out may be inp. */
export function ropeForward(rt: Runtime, ...[out, inp, positions, invFreq]: OpArgs<'ropeForward'>): void {
  const dims = checkRopeForward(out, inp, positions, invFreq);
  launch(rt, 'ropeForward', ROPE_FORWARD, ['out', 'inp'], dims, out, inp, positions, invFreq);
}

/** dinp (T, NH, HS) = inverse rotation of dout; dinp may be dout. Overwrites dinp. */
export function ropeBackward(rt: Runtime, ...[dinp, dout, positions, invFreq]: OpArgs<'ropeBackward'>): void {
  const dims = checkRopeBackward(dinp, dout, positions, invFreq);
  launch(rt, 'ropeBackward', ROPE_BACKWARD, ['dinp', 'dout'], dims, dinp, dout, positions, invFreq);
}
