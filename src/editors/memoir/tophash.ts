// TopHash: a prompt's sparse mask over the FFN width. Pool the down_proj inputs of the prompt, subtract the
// background (and optionally divide by its std), take the top-k of |x|, and map those indices through a
// fixed seeded permutation of 0..H-1. Also computes the background statistics it needs, once per model.
// Not the router (router.ts compares masks) and not persistence (src/store keeps the stats).

import { EngineError, throwIfAborted } from '../../engine/errors';
import { mulberry32 } from '../../lib/random';
import type { Normalize, Pooling } from './config';
import type { EditableModel } from './model';

/** Mean and standard deviation (H) of pooled down_proj inputs over the background prompts. */
export interface PooledStats {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** Background statistics of one model at one layer, for both poolings, so either can be chosen later. */
export interface BackgroundStats {
  readonly modelId: string;
  readonly layer: number;
  readonly H: number;
  /** How many prompts were pooled. */
  readonly prompts: number;
  readonly byPooling: Readonly<Record<Pooling, PooledStats>>;
}

export interface TopHashParams {
  readonly k: number;
  readonly pooling: Pooling;
  readonly normalize: Normalize;
}

// Keeps a dead unit (std 0 over the background) from turning into ±Infinity under zscore.
const STD_FLOOR = 1e-6;

/** Pool a (T, H) into one (H) vector: the mean over tokens or the last token. */
export function pool(a: Float32Array, T: number, H: number, pooling: Pooling): Float32Array {
  if (T < 1 || a.length !== T * H) {
    throw new EngineError(
      'SHAPE',
      `tophash: activations must be (T, H)=(${T}, ${H}) with T >= 1, got ${a.length} values`,
    );
  }
  if (pooling === 'last') return a.slice((T - 1) * H, T * H);
  const out = new Float32Array(H);
  for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) out[h] += a[t * H + h];
  for (let h = 0; h < H; h++) out[h] /= T;
  return out;
}

/** A fixed permutation of 0..H-1 (Fisher-Yates on mulberry32(seed)); the same seed gives the same masks. */
export function makePermutation(H: number, seed: number): Int32Array {
  const perm = new Int32Array(H);
  for (let i = 0; i < H; i++) perm[i] = i;
  const next = mulberry32(seed);
  for (let i = H - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm;
}

/** The decentred (and optionally standardised) pooled feature x (H) whose |x| TopHash ranks. */
export function hashFeature(
  a: Float32Array,
  T: number,
  stats: BackgroundStats,
  p: TopHashParams,
): Float32Array {
  const H = stats.H;
  const x = pool(a, T, H, p.pooling);
  const { mean, std } = stats.byPooling[p.pooling];
  for (let h = 0; h < H; h++) {
    x[h] -= mean[h];
    if (p.normalize === 'zscore') x[h] /= Math.max(std[h], STD_FLOOR);
  }
  return x;
}

/** Indices of the k largest |x|, ties broken by the lower index so masks are reproducible. */
export function topKAbs(x: Float32Array, k: number): Int32Array {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((i, j) => Math.abs(x[j]) - Math.abs(x[i]) || i - j);
  return Int32Array.from(idx.slice(0, k));
}

/** The mask of a prompt: sorted (k) column indices perm[topk(|x|)]. a is the prompt's (T, H) down_proj input. */
export function topHashMask(
  a: Float32Array,
  T: number,
  stats: BackgroundStats,
  p: TopHashParams,
  perm: Int32Array,
): Int32Array {
  if (perm.length !== stats.H) {
    throw new EngineError('SHAPE', `tophash: permutation must have H=${stats.H} entries, got ${perm.length}`);
  }
  const top = topKAbs(hashFeature(a, T, stats, p), p.k);
  const cols = top.map((i) => perm[i]);
  return cols.sort();
}

/** Pool each background prompt's down_proj inputs at `layer` and accumulate mean/std per pooling
 *  (float64 sums; population std). The paper uses ~100 unrelated prompts. */
export async function computeBackgroundStats(
  model: EditableModel,
  layer: number,
  prompts: readonly string[],
  signal?: AbortSignal,
): Promise<BackgroundStats> {
  if (prompts.length < 2) {
    throw new EngineError('LOAD', `tophash: background needs at least 2 prompts, got ${prompts.length}`);
  }
  const H = model.dims.H;
  const sums = { mean: new Float64Array(H), last: new Float64Array(H) };
  const squares = { mean: new Float64Array(H), last: new Float64Array(H) };
  for (const prompt of prompts) {
    throwIfAborted(signal, 'tophash: background statistics');
    const ids = model.encode(prompt);
    const a = await model.downProjInput(ids, layer);
    for (const pooling of ['mean', 'last'] as const) {
      const x = pool(a, ids.length, H, pooling);
      for (let h = 0; h < H; h++) {
        sums[pooling][h] += x[h];
        squares[pooling][h] += x[h] * x[h];
      }
    }
  }
  const n = prompts.length;
  const finish = (pooling: Pooling): PooledStats => {
    const mean = new Float32Array(H);
    const std = new Float32Array(H);
    for (let h = 0; h < H; h++) {
      const m = sums[pooling][h] / n;
      mean[h] = m;
      std[h] = Math.sqrt(Math.max(0, squares[pooling][h] / n - m * m));
    }
    return { mean, std };
  };
  return {
    modelId: model.id,
    layer,
    H,
    prompts: n,
    byPooling: { mean: finish('mean'), last: finish('last') },
  };
}
