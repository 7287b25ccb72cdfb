// Launcher of embeddingForward: a gather of token rows from wte (V, C), which may be any weight
// dtype because tied embeddings share the LM head's (possibly quantized) storage.
import type { Tensor } from '../../backend';
import { checkDtype, checkRank, checkShape } from '../../shapes';
import { grid1d, type Runtime } from '../runtime';
import { asGpu, dtypeCode } from '../tensor';
import embeddingForwardSrc from './embedding_forward.wgsl?raw';

const EMBEDDING_FORWARD = { name: 'embedding_forward', code: embeddingForwardSrc };
const WG = 256;

/** out (T, C) = wte[ids]; ids (T) i32; wte (V, C) f32 | f16 | q8 | q4. */
export function embeddingForward(rt: Runtime, out: Tensor, ids: Tensor, wte: Tensor): void {
  const op = 'embeddingForward';
  const [V, C] = checkRank(op, 'wte', wte.shape, 'V, C');
  const [T] = checkRank(op, 'ids', ids.shape, 'T');
  checkShape(op, 'out', out.shape, 'T, C', T, C);
  checkDtype(op, 'out', out, ['f32']);
  checkDtype(op, 'ids', ids, ['i32']);
  checkDtype(op, 'wte', wte, ['f32', 'f16', 'q8', 'q4']);
  const o = asGpu(op, 'out', out);
  const w = asGpu(op, 'wte', wte);
  const buffers = [o.buffer, asGpu(op, 'ids', ids).buffer, w.buffer, w.scales ?? rt.dummy];
  rt.dispatch(EMBEDDING_FORWARD, { WG, DTYPE: dtypeCode(wte.dtype) }, buffers, [T, C, V], grid1d(T * C, WG));
}
