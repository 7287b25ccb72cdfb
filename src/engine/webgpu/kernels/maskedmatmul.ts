// Launchers of MEMOIR's masked memory pair: the residual out += (a ⊙ mask) · Wmᵀ over the k masked
// columns (forward) and the memory gradient restricted to those columns (backward, ACCUMULATED).
// The mask is a list of column indices, not a dense 0/1 vector: cost scales with k, not H.
import type { OpArgs } from '../../backend';
import { checkMaskedMatmulAccumulate, checkMaskedMatmulBackward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { buffersOf } from '../tensor';
import maskedMatmulAccumulateSrc from './masked_matmul_accumulate.wgsl?raw';
import maskedMatmulBackwardSrc from './masked_matmul_backward.wgsl?raw';

const MASKED_ACCUMULATE = { name: 'masked_matmul_accumulate', code: maskedMatmulAccumulateSrc };
const MASKED_BACKWARD = { name: 'masked_matmul_backward', code: maskedMatmulBackwardSrc };
const ROWS = 8; // channels per workgroup of masked_matmul_accumulate
const WG = 256;

/** out (N, C) += (a ⊙ mask) · Wmᵀ over the k columns in cols; a (N, H), wm (C, H), cols (k) i32. */
export function maskedMatmulAccumulate(
  rt: Runtime,
  ...[out, a, wm, cols]: OpArgs<'maskedMatmulAccumulate'>
): void {
  const op = 'maskedMatmulAccumulate';
  const { N, C, H, k } = checkMaskedMatmulAccumulate(out, a, wm, cols);
  const buffers = buffersOf(op, { out, a, wm, cols });
  const [gx, gy] = grid1d(C, ROWS);
  rt.dispatch(MASKED_ACCUMULATE, {}, buffers, [N, C, H, k], [gx, gy, N]);
}

/** dwm (C, H) += doutᵀ · (a ⊙ mask), touching only the columns in cols; dout (N, C), a (N, H). */
export function maskedMatmulBackward(
  rt: Runtime,
  ...[dwm, dout, a, cols]: OpArgs<'maskedMatmulBackward'>
): void {
  const op = 'maskedMatmulBackward';
  const { N, C, H, k } = checkMaskedMatmulBackward(dwm, dout, a, cols);
  const buffers = buffersOf(op, { dwm, dout, a, cols });
  rt.dispatch(MASKED_BACKWARD, { WG }, buffers, [N, C, H, k], grid1d(C * k, WG));
}
