// Launchers of the fused softmax + cross-entropy pair. Forward: one workgroup per row writes probs
// and the loss; backward: one invocation per logit, dlogits OVERWRITTEN.
import type { OpArgs } from '../../backend';
import { checkCrossentropySoftmaxBackward, checkCrossentropySoftmaxForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { buffersOf } from '../tensor';
import crossentropySoftmaxBackwardSrc from './crossentropy_softmax_backward.wgsl?raw';
import crossentropySoftmaxForwardSrc from './crossentropy_softmax_forward.wgsl?raw';

const CE_FORWARD = { name: 'crossentropy_softmax_forward', code: crossentropySoftmaxForwardSrc };
const CE_BACKWARD = { name: 'crossentropy_softmax_backward', code: crossentropySoftmaxBackwardSrc };
const WG = 256;

/** losses (N), probs (N, V) saved; logits (N, V); targets (N) i32, -1 = ignore (loss 0). */
export function crossentropySoftmaxForward(
  rt: Runtime,
  ...[losses, probs, logits, targets]: OpArgs<'crossentropySoftmaxForward'>
): void {
  const op = 'crossentropySoftmaxForward';
  const { N, V } = checkCrossentropySoftmaxForward(losses, probs, logits, targets);
  const buffers = buffersOf(op, { losses, probs, logits, targets });
  rt.dispatch(CE_FORWARD, { WG }, buffers, [N, V], [N]);
}

/** dlogits (N, V) = (probs - onehot(target)) / count; rows with target -1 get 0. */
export function crossentropySoftmaxBackward(
  rt: Runtime,
  ...[dlogits, probs, targets, count]: OpArgs<'crossentropySoftmaxBackward'>
): void {
  const op = 'crossentropySoftmaxBackward';
  const { N, V } = checkCrossentropySoftmaxBackward(dlogits, probs, targets, count);
  const buffers = buffersOf(op, { dlogits, probs, targets });
  rt.dispatch(CE_BACKWARD, { WG }, buffers, [N, V, { f32: 1 / count }], grid1d(N * V, WG));
}
