// The dimension legend used in every shape comment of the engine, plus the shape/dtype checks that
// ops run on entry. Messages follow STYLE §4: `rmsnormForward: weight must be (C)=(64), got (32)`.
// Not a tensor library: no broadcasting or stride logic; tensors are dense and row-major.
//
// Legend
//   B    batch (always 1 sequence in the engine; callers loop)
//   T    tokens of the current call (prompt length for prefill, 1 for decode)
//   Tk   keys visible to attention = past + T
//   maxT KV-cache capacity in tokens
//   N    rows of a row-wise op (N = T for batch 1)
//   C    channels (hidden_size)
//   OC   output channels of a Linear (weight is (OC, C), HF layout)
//   NH   query heads; NKV key/value heads (GQA: NH % NKV == 0); HS head size
//   H    FFN width (intermediate_size)
//   V    vocabulary size
//   L    transformer layers (also "layer L", the edited layer, where it is a single index)
//   E    stored edits; k masked columns of the MEMOIR memory (k <= H)
// Tables: parameters by HF name and shape in src/models/weights.ts (parameterTable); activations a
// layer saves in src/engine/model/layer.ts (LayerActs).

import { EngineError } from './errors';
import type { DType, Tensor } from './backend';

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws SHAPE unless `got` equals `dims`. `spec` names the dims, e.g. checkShape(op, 'weight', w.shape, 'OC, C', OC, C). */
export function checkShape(
  op: string,
  name: string,
  got: readonly number[],
  spec: string,
  ...dims: number[]
): void {
  if (sameShape(got, dims)) return;
  throw new EngineError(
    'SHAPE',
    `${op}: ${name} must be (${spec})=(${dims.join(', ')}), got (${got.join(', ')})`,
  );
}

/** Throws SHAPE unless `got` has `rank` dims; returns them for destructuring. */
export function checkRank(op: string, name: string, got: readonly number[], spec: string): number[] {
  const rank = spec.split(',').length;
  if (got.length !== rank) {
    throw new EngineError('SHAPE', `${op}: ${name} must be (${spec}), got (${got.join(', ')})`);
  }
  return [...got];
}

/** Throws SHAPE unless tensor `t` has one of `allowed` dtypes. */
export function checkDtype(op: string, name: string, t: Tensor, allowed: readonly DType[]): void {
  if (allowed.includes(t.dtype)) return;
  throw new EngineError('SHAPE', `${op}: ${name} must be ${allowed.join(' | ')}, got ${t.dtype}`);
}
