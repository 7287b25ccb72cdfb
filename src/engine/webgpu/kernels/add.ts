// Launcher of addForward: one invocation per value, grid folded into y past 65535 workgroups.
// out may alias a or b (the kernel then reads that operand from out).
import type { OpArgs } from '../../backend';
import { checkAddForward } from '../../contract';
import { EngineError } from '../../errors';
import { grid1d, type Runtime } from '../runtime';
import { asGpu } from '../tensor';
import addForwardSrc from './add_forward.wgsl?raw';

const ADD_FORWARD = { name: 'add_forward', code: addForwardSrc };
const WG = 256;

/** out = a + b; out may alias a (or b: addition commutes). */
export function addForward(rt: Runtime, ...[out, a, b]: OpArgs<'addForward'>): void {
  const op = 'addForward';
  const { n } = checkAddForward(out, a, b);
  const [o, first, second] = [asGpu(op, 'out', out), asGpu(op, 'a', a), asGpu(op, 'b', b)];
  // Addition commutes: if out aliases b, swap so that the aliased operand is always x.
  const [x, y] = o.buffer === second.buffer ? [second, first] : [first, second];
  if (o.buffer === y.buffer) throw new EngineError('SHAPE', `${op}: out may alias a or b, not both`);
  const inPlace = o.buffer === x.buffer;
  const buffers = [o.buffer, inPlace ? rt.dummy : x.buffer, y.buffer];
  rt.dispatch(ADD_FORWARD, { WG, IN_PLACE: inPlace }, buffers, [n], grid1d(n, WG));
}
