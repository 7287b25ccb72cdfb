// Launchers of the fused softmax + cross-entropy pair. Forward: one workgroup per row writes probs
// and the loss; backward: one invocation per logit, dlogits OVERWRITTEN.
import type { Tensor } from '../../backend';
import { EngineError } from '../../errors';
import { checkDtype, checkRank, checkShape } from '../../shapes';
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
  losses: Tensor,
  probs: Tensor,
  logits: Tensor,
  targets: Tensor,
): void {
  const op = 'crossentropySoftmaxForward';
  const [N, V] = checkRank(op, 'logits', logits.shape, 'N, V');
  checkShape(op, 'losses', losses.shape, 'N', N);
  checkShape(op, 'probs', probs.shape, 'N, V', N, V);
  checkShape(op, 'targets', targets.shape, 'N', N);
  for (const [name, t] of Object.entries({ losses, probs, logits })) checkDtype(op, name, t, ['f32']);
  checkDtype(op, 'targets', targets, ['i32']);
  const buffers = buffersOf(op, { losses, probs, logits, targets });
  rt.dispatch(CE_FORWARD, { WG }, buffers, [N, V], [N]);
}

/** dlogits (N, V) = (probs - onehot(target)) / count; rows with target -1 get 0. */
export function crossentropySoftmaxBackward(
  rt: Runtime,
  dlogits: Tensor,
  probs: Tensor,
  targets: Tensor,
  count: number,
): void {
  const op = 'crossentropySoftmaxBackward';
  const [N, V] = checkRank(op, 'probs', probs.shape, 'N, V');
  checkShape(op, 'dlogits', dlogits.shape, 'N, V', N, V);
  checkShape(op, 'targets', targets.shape, 'N', N);
  checkDtype(op, 'dlogits', dlogits, ['f32']);
  checkDtype(op, 'probs', probs, ['f32']);
  checkDtype(op, 'targets', targets, ['i32']);
  if (!(count > 0))
    throw new EngineError('SHAPE', `${op}: count must be the number of scored rows (> 0), got ${count}`);
  const buffers = buffersOf(op, { dlogits, probs, targets });
  rt.dispatch(CE_BACKWARD, { WG }, buffers, [N, V, { f32: 1 / count }], grid1d(N * V, WG));
}
