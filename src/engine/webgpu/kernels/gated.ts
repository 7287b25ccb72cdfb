// Dispatch shared by the gated-MLP pairs (swiglu.ts, geglu.ts), whose kernels bind the same tensors in
// the same order: one invocation per value, grid folded into y past 65535 workgroups. Outputs never
// alias inputs. Arguments are checked by the caller against the contract first.
import type { Tensor } from '../../backend';
import { EngineError } from '../../errors';
import { grid1d, type Runtime } from '../runtime';
import type { KernelSource } from '../pipelines';
import { asGpu, noAlias } from '../tensor';

const WG = 256;

/** out (n) from gate, up (n): bindings out, gate, up, params {n}. */
export function gatedForward(
  rt: Runtime,
  op: string,
  kernel: KernelSource,
  n: number,
  out: Tensor,
  gate: Tensor,
  up: Tensor,
): void {
  const [o, g, u] = [asGpu(op, 'out', out), asGpu(op, 'gate', gate), asGpu(op, 'up', up)];
  noAlias(op, [o], [g, u]);
  rt.dispatch(kernel, { WG }, [o.buffer, g.buffer, u.buffer], [n], grid1d(n, WG));
}

/** dgate, dup (n) overwritten from dout, gate, up (n): bindings in that order, then params {n}. */
export function gatedBackward(
  rt: Runtime,
  op: string,
  kernel: KernelSource,
  n: number,
  named: { dgate: Tensor; dup: Tensor; dout: Tensor; gate: Tensor; up: Tensor },
): void {
  const [dg, du, dy, g, u] = Object.entries(named).map(([name, t]) => asGpu(op, name, t));
  noAlias(op, [dg, du], [dy, g, u]);
  if (dg.buffer === du.buffer)
    throw new EngineError('SHAPE', `${op}: dgate and dup must be different tensors`);
  const buffers = [dg.buffer, du.buffer, dy.buffer, g.buffer, u.buffer];
  rt.dispatch(kernel, { WG }, buffers, [n], grid1d(n, WG));
}
