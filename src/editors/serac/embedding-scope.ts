// SERAC's scope classifier in embedding mode, for any base model: a hub sentence-embedding model run by
// transformers.js' feature-extraction pipeline (mean pooling, unit-normalized) embeds each edit text and
// the query separately, and a query's score for an edit comes from the distance of the two embeddings.
// Edit embeddings are kept in memory and in an injected cache (IndexedDB in the app: store/embeddings.ts)
// so they are computed once per edit and model, across reloads; a query's embedding is not kept.
// Not the cross-encoder (scope.ts), not the threshold (calibrate-scope.ts), not the routing (router.ts).

import { pipeline, env, type DataType, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { EngineError, throwIfAborted } from '../../engine/errors';
import { describeSource, type ModelSource } from '../../models/hub';
import { withTransformersSource } from '../../models/tokenizer';
import type { ScopeScorer } from './scope';

export const DEFAULT_EMBEDDING_DTYPE: DataType = 'q8';

/** Where edit embeddings persist, keyed by [embedding model id (EmbeddingScope.id), text]. */
export interface EmbeddingCache {
  /** The stored embedding of each text, undefined where there is none. */
  get(modelId: string, texts: readonly string[]): Promise<(Float32Array | undefined)[]>;
  put(modelId: string, entries: readonly { text: string; embedding: Float32Array }[]): Promise<void>;
}

export interface EmbeddingScopeOptions {
  /** transformers.js' dtype, which picks the ONNX file (q8: onnx/model_quantized.onnx). */
  dtype?: DataType;
  cache?: EmbeddingCache;
  signal?: AbortSignal;
  /** Bytes of each file as it loads (transformers.js' progress events, per file). */
  onProgress?: (p: { file: string; loaded: number; total: number }) => void;
  accessToken?: string;
  /** Browser only: the folder the app serves onnxruntime-web's wasm from ('/ort/'). Without it
   *  transformers.js points onnxruntime at a CDN, which the CSP blocks and offline use lacks. */
  wasmPaths?: string;
}

/** SERAC's embedding-mode similarity (Mitchell et al. 2022, "Memory-Based Model Editing at Scale", the
 *  embedding classifier: edit and query embedded separately, sim = exp(-scale · d(edit, query)); the
 *  reference code, eric-mitchell/serac algs/rep.py embedding_logsim_matrix, uses the squared Euclidean
 *  distance with `square` and starts `scale` at 1). With unit vectors d = ‖e − q‖² = 2 − 2·cos lies in
 *  [0, 4], so the score lies in [e⁻⁴, 1] ⊂ [0, 1] and is 1 only for the same direction. SERAC learns
 *  `scale`; we keep 1 and calibrate the threshold instead (calibrate-scope.ts): the score is monotone in
 *  cos, so only the threshold decides routing, and the form keeps DESIGN §5's formula. */
const SCALE = 1;

/** transformers.js maps a device to execution providers only among those of the onnxruntime it imported
 *  itself; given the app's (src/worker/transformers-ort.ts) it knows none, and its default device
 *  ('wasm' in a browser) is refused ("Unsupported device"). 'auto' (all it knows: none) leaves the choice
 *  to that onnxruntime, whose wasm build has one backend. Measured in Chromium: the fixture loads and
 *  only /ort/ort-wasm-simd-threaded.{mjs,wasm} are fetched. Elsewhere (Node) the default device. */
function appOrtDevice(): 'auto' | undefined {
  return Symbol.for('onnxruntime') in globalThis ? 'auto' : undefined;
}

/** Texts embedded per pipeline call: padding is to the longest text of a batch. */
const BATCH = 32;

export class EmbeddingScope implements ScopeScorer {
  /** Edit embeddings computed or read in this session, by text. */
  private readonly known = new Map<string, Float32Array>();

  private constructor(
    /** The cache key of this model's embeddings: describeSource of the model and the dtype. */
    readonly id: string,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly cache: EmbeddingCache | undefined,
  ) {}

  static async load(
    /** Which embedding model: the companions' choice (models/registry.ts, default DEFAULT_SCOPE_MODEL). */
    source: ModelSource,
    opts: EmbeddingScopeOptions = {},
  ): Promise<EmbeddingScope> {
    const dtype = opts.dtype ?? DEFAULT_EMBEDDING_DTYPE;
    const name = describeSource(source);
    throwIfAborted(opts.signal, `serac scope: loading ${name}`);
    const wasm = env.backends.onnx.wasm as { wasmPaths?: unknown } | undefined;
    if (opts.wasmPaths && wasm) wasm.wasmPaths = opts.wasmPaths;
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = await withTransformersSource(source, opts, () =>
        pipeline('feature-extraction', source.repo, {
          dtype,
          device: appOrtDevice(),
          ...(source.kind === 'hub' && source.revision ? { revision: source.revision } : {}),
          progress_callback: (p) => {
            if (p.status === 'progress')
              opts.onProgress?.({ file: p.file, loaded: p.loaded, total: p.total });
          },
        }),
      );
    } catch (e) {
      throwIfAborted(opts.signal, `serac scope: loading ${name}`);
      throw new EngineError(
        'LOAD',
        `serac scope: transformers.js could not load ${name} (dtype ${dtype}) as a sentence-embedding model: ${(e as Error).message}`,
        'use a feature-extraction model with an ONNX export (onnx/model_quantized.onnx for q8), e.g. Xenova/all-MiniLM-L6-v2',
      );
    }
    if (opts.signal?.aborted) {
      await extractor.dispose();
      throwIfAborted(opts.signal, `serac scope: loading ${name}`);
    }
    return new EmbeddingScope(`${name}|${dtype}`, extractor, opts.cache);
  }

  /** Unit-length mean-pooled embeddings of `texts`, in order. (N, D) as N rows. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const rows: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const out = await this.extractor(texts.slice(i, i + BATCH) as string[], {
        pooling: 'mean',
        normalize: true,
      });
      const [n, d] = out.dims; // (n, D)
      const data = out.data as Float32Array;
      for (let r = 0; r < n; r++) rows.push(data.slice(r * d, (r + 1) * d));
      out.dispose();
    }
    return rows;
  }

  /** SERAC's embedding-mode score of `query` for each edit text (see SCALE), in [0, 1]. (E) */
  async scores(edits: readonly string[], query: string): Promise<Float32Array> {
    if (edits.length === 0) return new Float32Array(0);
    const [q] = await this.embed([query]);
    const embedded = await this.editEmbeddings(edits);
    return Float32Array.from(embedded, (e) => Math.exp(-SCALE * squaredDistance(e, q)));
  }

  /** Each edit's embedding: from this session, else the cache, else computed (and cached). */
  private async editEmbeddings(edits: readonly string[]): Promise<Float32Array[]> {
    let missing = [...new Set(edits.filter((t) => !this.known.has(t)))];
    if (missing.length > 0 && this.cache) {
      const stored = await this.cache.get(this.id, missing);
      missing.forEach((t, i) => {
        if (stored[i]) this.known.set(t, stored[i]);
      });
      missing = missing.filter((t) => !this.known.has(t));
    }
    if (missing.length > 0) {
      const computed = await this.embed(missing);
      missing.forEach((t, i) => this.known.set(t, computed[i]));
      await this.cache?.put(
        this.id,
        missing.map((text, i) => ({ text, embedding: computed[i] })),
      );
    }
    return edits.map((t) => this.known.get(t)!);
  }

  release(): Promise<void> {
    return this.extractor.dispose();
  }
}

/** ‖a − b‖²; a stored embedding of another length (another model under the same id) is refused. */
function squaredDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new EngineError(
      'SHAPE',
      `serac scope: an edit embedding has ${a.length} dims, the query's ${b.length}`,
      'the stored embeddings under this id come from another model: delete them (store/embeddings.ts)',
    );
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}
