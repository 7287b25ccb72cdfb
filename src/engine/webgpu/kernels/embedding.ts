// Launcher of embeddingForward: a gather of token rows from wte (V, C) f32|f16|q8|q4, each value
// decoded by common.wgsl's weight_decode (as the matmul reads the same table as a tied LM head).
import type { OpArgs } from '../../backend';
import { checkEmbeddingForward } from '../../contract';
import { grid1d, type Runtime } from '../runtime';
import { asGpu, dtypeCode } from '../tensor';
import embeddingForwardSrc from './embedding_forward.wgsl?raw';

const EMBEDDING_FORWARD = { name: 'embedding_forward', code: embeddingForwardSrc };
const WG = 256;

/** out (T, C) f32 = wte[ids - firstRow]; ids (T) i32; wte (V, C) f32|f16|q8|q4 (rows firstRow.. of a table). */
export function embeddingForward(rt: Runtime, ...[out, ids, wte, first]: OpArgs<'embeddingForward'>): void {
  const op = 'embeddingForward';
  const { T, C, V, firstRow } = checkEmbeddingForward(out, ids, wte, first);
  const o = asGpu(op, 'out', out);
  const w = asGpu(op, 'wte', wte);
  const buffers = [o.buffer, asGpu(op, 'ids', ids).buffer, w.buffer, w.scales ?? rt.dummy];
  rt.dispatch(
    EMBEDDING_FORWARD,
    { WG, DTYPE: dtypeCode(wte.dtype) },
    buffers,
    [T, C, V, firstRow],
    grid1d(T * C, WG),
  );
}
