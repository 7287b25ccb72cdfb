// What a model takes in backend memory at a precision, from its config alone (no weights read): bytes
// per tensor and per kind, and the check uploadParams runs before its first upload, so that a tensor
// too large for this adapter's buffers fails at once, by name, instead of as a late GPU validation
// error. The embedding and the LM head are split by rows into buffers that fit (row-blocks.ts); only
// what cannot be split (a Linear weight, or one row) is refused. Follows params.ts: the embedding and
// the Linear weights take the precision; norms, biases and RoPE tables stay f32; a tied LM head is the
// embedding. Not activations or the KV cache (per prompt).

import { tensorBuffers, type BackendLimits, type DType } from '../backend';
import { rowBlocks } from './row-blocks';
import { EngineError } from '../errors';
import type { ModelConfig } from './config';
import { FAMILIES } from './families';
import type { WeightPrecision } from '../quantize';
import { EMBED, FINAL_NORM, LM_HEAD, layerNames, parameterTable } from './weights';

export type TensorKind = 'embedding' | 'lmHead' | 'attention' | 'mlp' | 'norm' | 'bias' | 'rope';

export interface PlannedTensor {
  name: string; // HF name; RoPE tables: rope.<layer kind>.inv_freq
  kind: TensorKind;
  shape: number[];
  dtype: DType;
  /** Each buffer it is stored in: values, then (q8/q4) block scales. */
  buffers: number[];
  bytes: number;
}

export interface MemoryPlan {
  precision: WeightPrecision;
  tensors: PlannedTensor[];
  /** Bytes per kind; lmHead is 0 when tied (the embedding is the head). */
  bytesByKind: Record<TensorKind, number>;
  /** Backend bytes of all parameters (allocator padding aside). */
  totalBytes: number;
}

/** Largest first: a model too large at one precision is offered the ones after it. */
const PRECISIONS: readonly WeightPrecision[] = ['f32', 'f16', 'q8', 'q4'];

/** Kind of every parameter name the config may require (names as weights.ts's parameterTable). */
export function tensorKinds(cfg: ModelConfig): Map<string, TensorKind> {
  const kind = new Map<string, TensorKind>([
    [EMBED, 'embedding'],
    [LM_HEAD, 'lmHead'],
    [FINAL_NORM, 'norm'],
  ]);
  for (let i = 0; i < cfg.numLayers; i++) {
    const n = layerNames(i, FAMILIES[cfg.modelType]);
    for (const key of ['q', 'k', 'v', 'o'] as const) kind.set(n[key], 'attention');
    for (const key of ['gate', 'up', 'down'] as const) kind.set(n[key], 'mlp');
    for (const key of ['qBias', 'kBias', 'vBias', 'oBias'] as const) kind.set(n[key], 'bias');
    for (const key of ['inputNorm', 'qNorm', 'kNorm', 'attnOutNorm', 'mlpNorm', 'mlpOutNorm'] as const)
      kind.set(n[key], 'norm');
  }
  return kind;
}

/** The embedding and the LM head are stored in row blocks when one buffer cannot hold them: the gather
 *  and the head's logits read them block by block (row-blocks.ts). Other tensors are bound whole. */
export function splitsByRows(kind: TensorKind): boolean {
  return kind === 'embedding' || kind === 'lmHead';
}

/** The embedding, LM head and Linear weights are stored at the model's precision; the rest in f32. */
export function takesPrecision(kind: TensorKind): boolean {
  return kind === 'embedding' || kind === 'lmHead' || kind === 'attention' || kind === 'mlp';
}

/** The parameters of `cfg` uploaded at `precision`, tensor by tensor. Pure: for the Models view too. */
export function modelMemoryPlan(cfg: ModelConfig, precision: WeightPrecision): MemoryPlan {
  const kindOf = tensorKinds(cfg);
  const tensors: PlannedTensor[] = [];
  const add = (name: string, kind: TensorKind, shape: number[], dtype: DType) => {
    const buffers = tensorBuffers(shape, dtype);
    tensors.push({ name, kind, shape, dtype, buffers, bytes: buffers.reduce((a, b) => a + b, 0) });
  };
  for (const [name, shape] of parameterTable(cfg)) {
    const kind = kindOf.get(name)!;
    add(name, kind, shape, takesPrecision(kind) ? precision : 'f32');
  }
  for (const layerKind of new Set(cfg.layerKinds))
    add(`rope.${layerKind}.inv_freq`, 'rope', [cfg.headDim / 2], 'f32');
  const bytesByKind: Record<TensorKind, number> = {
    embedding: 0,
    lmHead: 0,
    attention: 0,
    mlp: 0,
    norm: 0,
    bias: 0,
    rope: 0,
  };
  for (const t of tensors) bytesByKind[t.kind] += t.bytes;
  return { precision, tensors, bytesByKind, totalBytes: tensors.reduce((a, t) => a + t.bytes, 0) };
}

/** 544538624 → "545 MB", 1024 → "1.0 kB": decimal units, as file sizes are shown. */
function size(bytes: number): string {
  const [unit, scale] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
  const x = bytes / scale;
  return `${x.toFixed(x < 10 ? 1 : 0)} ${unit}`;
}
const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The bytes one buffer may hold on `limits`, and the limit that sets it: kernels bind whole buffers, so
 *  the smaller of the two, rounded down to 16 bytes (the WebGPU pool pads every buffer to 16). */
export function bufferLimit(limits: BackendLimits): { name: string; bytes: number } {
  const [name, limit] =
    limits.maxStorageBufferBindingSize <= limits.maxBufferSize
      ? ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize]
      : ['maxBufferSize', limits.maxBufferSize];
  return { name, bytes: Math.floor(limit / 16) * 16 };
}

/** The smallest buffer `t` can be stored in: one row's for a table split by rows, its largest otherwise. */
function smallestBuffer(t: PlannedTensor): number {
  return Math.max(...(splitsByRows(t.kind) ? tensorBuffers([1, t.shape[1]], t.dtype) : t.buffers));
}

/** The tensor whose smallest possible buffer is largest, and that buffer's bytes. */
function largest(plan: MemoryPlan): { tensor: PlannedTensor; buffer: number } {
  let best = { tensor: plan.tensors[0], buffer: -1 };
  for (const tensor of plan.tensors) {
    const buffer = smallestBuffer(tensor);
    if (buffer > best.buffer) best = { tensor, buffer };
  }
  return best;
}

/** Row blocks of every tensor of `cfg` at `precision` that `limits` splits (row-blocks.ts rowBlocks), by
 *  name; tensors that fit whole are absent. Throws OOM, before anything is uploaded, when a tensor cannot
 *  be stored within `limits` even split: names the tensor, its bytes, the limit, and which smaller
 *  precisions would fit. */
export function checkBackendLimits(
  cfg: ModelConfig,
  precision: WeightPrecision,
  limits: BackendLimits,
): Map<string, number[]> {
  const limit = bufferLimit(limits);
  const plan = modelMemoryPlan(cfg, precision);
  const { tensor, buffer } = largest(plan);
  if (buffer > limit.bytes) refuse(cfg, precision, tensor, buffer, limit);
  const split = new Map<string, number[]>();
  for (const t of plan.tensors) {
    const blocks = splitsByRows(t.kind) ? rowBlocks(t.shape[0], t.shape[1], t.dtype, limit.bytes) : null;
    if (blocks && blocks.length > 1) split.set(t.name, blocks);
  }
  return split;
}

function refuse(
  cfg: ModelConfig,
  precision: WeightPrecision,
  tensor: PlannedTensor,
  buffer: number,
  limit: { name: string; bytes: number },
): never {
  const options = PRECISIONS.slice(PRECISIONS.indexOf(precision) + 1).map((p) => {
    const other = modelMemoryPlan(cfg, p);
    const same = smallestBuffer(other.tensors.find((t) => t.name === tensor.name)!);
    return { p, fits: largest(other).buffer <= limit.bytes, text: `${p} (${size(same)})` };
  });
  const offers = options.map((o) => `${o.text} would${o.fits ? '' : ' not fit either'}`);
  const fit = options.find((o) => o.fits);
  const what = `${tensor.name} (${tensor.shape.join(', ')}) needs a ${size(buffer)} buffer at ${precision}`;
  throw new EngineError(
    'OOM',
    `load: ${what}, above this adapter's ${limit.name} of ${mib(limit.bytes)} (${limit.bytes} bytes)` +
      (offers.length ? `; ${offers.join(', ')}` : ''),
    fit ? `load it at ${fit.p}` : 'no precision fits this adapter: use the cpu backend, or a smaller model',
  );
}
