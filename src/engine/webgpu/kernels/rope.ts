// Launchers of the rotary embedding pair (HF rotate_half convention). Both may run in place
// (out = inp, dinp = dout); the kernel then reads from its output binding. One invocation per pair.
// Inverse frequencies are computed on the host exactly as the CPU reference rounds them and cached.
import type { OpArgs, Tensor } from '../../backend';
import { checkRopeBackward, checkRopeForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { asGpu } from '../tensor';
import ropeBackwardSrc from './rope_backward.wgsl?raw';
import ropeForwardSrc from './rope_forward.wgsl?raw';

const ROPE_FORWARD = { name: 'rope_forward', code: ropeForwardSrc };
const ROPE_BACKWARD = { name: 'rope_backward', code: ropeBackwardSrc };
const WG = 256;

/** invFreq (HS/2): 1 / theta^(2i/HS), rounded to f32 in the same two steps as PyTorch and the CPU op. */
function inverseFrequencies(theta: number, HS: number): Float32Array<ArrayBuffer> {
  return Float32Array.from({ length: HS / 2 }, (_, i) =>
    Math.fround(1 / Math.fround(theta ** ((2 * i) / HS))),
  );
}

function launch(
  rt: Runtime,
  op: string,
  kernel: typeof ROPE_FORWARD,
  names: [string, string],
  dims: { T: number; NH: number; HS: number },
  dst: Tensor,
  src: Tensor,
  positions: Tensor,
  theta: number,
): void {
  const { T, NH, HS } = dims;
  const d = asGpu(op, names[0], dst);
  const s = asGpu(op, names[1], src);
  const pos = asGpu(op, 'positions', positions);
  const inPlace = d.buffer === s.buffer;
  const total = (T * NH * HS) / 2;
  const invFreq = rt.constant(`rope invFreq theta=${theta} HS=${HS}`, () => inverseFrequencies(theta, HS));
  const buffers = [d.buffer, inPlace ? rt.dummy : s.buffer, pos.buffer, invFreq];
  rt.dispatch(kernel, { WG, IN_PLACE: inPlace }, buffers, [T, NH, HS], grid1d(total, WG));
}

/** out, inp (T, NH, HS); positions (T) i32. out may be inp. */
export function ropeForward(rt: Runtime, ...[out, inp, positions, theta]: OpArgs<'ropeForward'>): void {
  const dims = checkRopeForward(out, inp, positions, theta);
  launch(rt, 'ropeForward', ROPE_FORWARD, ['out', 'inp'], dims, out, inp, positions, theta);
}

/** dinp (T, NH, HS) = inverse rotation of dout; dinp may be dout. Overwrites dinp. */
export function ropeBackward(rt: Runtime, ...[dinp, dout, positions, theta]: OpArgs<'ropeBackward'>): void {
  const dims = checkRopeBackward(dinp, dout, positions, theta);
  launch(rt, 'ropeBackward', ROPE_BACKWARD, ['dinp', 'dout'], dims, dinp, dout, positions, theta);
}
