// SERAC's scope classifier: a cross-encoder over "(edit prompt + edit answer) <sep> query" run with
// onnxruntime. All stored edits are scored against one query in one batched session.run, padded to the
// longest pair with the tokenizer's pad id and attention_mask 0 there. score = softmax(logits)[in_scope].
// The ort namespace is injected (onnxruntime-web in the browser, onnxruntime-node in Node tests and the
// CLI), so this file imports neither. Not the routing rule (router.ts) nor the edit memory (editor.ts).

import { EngineError } from '../../engine/errors';

/** The slice of onnxruntime-common's Tensor the classifier reads. */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The slice of onnxruntime-common's InferenceSession the classifier uses. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** What the classifier needs of an `ort` namespace; onnxruntime-web and onnxruntime-node both fit. */
export interface OrtApi {
  InferenceSession: { create(buffer: Uint8Array): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

/** A transformers.js tokenizer, typed structurally: `encode(edit, { text_pair: query })` gives the
 *  pair with the model's special tokens (for the bundled model: <s> edit <sep> query). */
export interface PairTokenizer {
  encode(text: string, opts: { text_pair: string }): number[];
  readonly pad_token_id?: number | null;
  readonly model_max_length?: number;
}

/** The edit as the classifier and the counterfactual model read it: prompt and answer joined by exactly
 *  one space, whether or not the answer starts with one (benchmark targets do: " Apia"). */
export function editText(prompt: string, target: string): string {
  return `${prompt.trimEnd()} ${target.trimStart()}`;
}

/** SERAC's in-scope threshold (Mitchell et al.; DESIGN §5), for a scope model whose card names none. */
export const DEFAULT_THRESHOLD = 0.5;

/** The threshold a scope model's `editscope.json` card names (parsed JSON, or null when there is no
 *  card), else SERAC's 0.5. */
export function cardThreshold(card: unknown): number {
  const t = (card as { threshold?: unknown } | null)?.threshold;
  return typeof t === 'number' ? t : DEFAULT_THRESHOLD;
}

const INPUTS = ['input_ids', 'attention_mask'] as const;
const OUT_OF_SCOPE = 0;
const IN_SCOPE = 1;

/** The slice of a scope model SeracEditor needs: for one query, a score in [0, 1] per edit text (see
 *  editText), higher meaning more in scope. The cross-encoder below and the embedding-mode scorer
 *  (embedding-scope.ts) both fit, so the editor does not care which one serves the base model. (E) */
export interface ScopeScorer {
  scores(edits: readonly string[], query: string): Promise<Float32Array>;
}

export class ScopeClassifier implements ScopeScorer {
  private constructor(
    private readonly ort: OrtApi,
    private readonly session: OrtSession,
    private readonly tokenizer: PairTokenizer,
    private readonly padId: number,
    private readonly maxLength: number,
  ) {}

  /** `model`: the bytes of onnx/model.onnx (or a quantized variant); bytes, not a path, so the browser
   *  (fetch) and Node (fs) call it alike. `name` labels errors. */
  static async load(
    ort: OrtApi,
    model: Uint8Array,
    tokenizer: PairTokenizer,
    name = 'scope model',
  ): Promise<ScopeClassifier> {
    let session: OrtSession;
    try {
      session = await ort.InferenceSession.create(model);
    } catch (e) {
      throw new EngineError(
        'LOAD',
        `serac scope: onnxruntime could not load ${name}: ${(e as Error).message}`,
        "point it at the scope model's onnx/model.onnx (or model_quantized.onnx)",
      );
    }
    // Exactly these inputs: any other input (position_ids, past key/values) would be a feed we never give.
    const inputsOk =
      session.inputNames.length === INPUTS.length && INPUTS.every((n) => session.inputNames.includes(n));
    if (!inputsOk || !session.outputNames.includes('logits')) {
      await session.release();
      throw new EngineError(
        'LOAD',
        `serac scope: ${name} takes [${session.inputNames.join(', ')}] and gives [${session.outputNames.join(', ')}], ` +
          'expected exactly the inputs input_ids, attention_mask and an output logits',
        'use a cross-encoder exported like public/models/editscope-scope',
      );
    }
    const padId = tokenizer.pad_token_id;
    if (typeof padId !== 'number') {
      await session.release();
      throw new EngineError(
        'LOAD',
        `serac scope: the tokenizer for ${name} has no pad token`,
        'set pad_token in tokenizer_config.json',
      );
    }
    // Position embeddings end at model_max_length; longer pairs would index past them. transformers.js
    // reports a huge number when the config leaves it unset: then onnxruntime is left to complain.
    const stated = tokenizer.model_max_length;
    const maxLength = stated && stated < 1e6 ? stated : Infinity;
    return new ScopeClassifier(ort, session, tokenizer, padId, maxLength);
  }

  /** Token ids of one (edit, query) pair, special tokens included. */
  pairIds(edit: string, query: string): number[] {
    return this.tokenizer.encode(edit, { text_pair: query });
  }

  /** P(in scope) of `query` for each edit text (see editText), in one batched run. (E) */
  async scores(edits: readonly string[], query: string): Promise<Float32Array> {
    const B = edits.length;
    if (B === 0) return new Float32Array(0);
    const pairs = edits.map((e) => this.pairIds(e, query));
    const T = Math.max(...pairs.map((p) => p.length));
    if (T > this.maxLength) {
      const i = pairs.findIndex((p) => p.length === T);
      throw new EngineError(
        'SHAPE',
        `serac scope: edit ${i} with the query is ${T} tokens, the scope model takes at most ${this.maxLength}`,
        'shorten the edit or the query',
      );
    }
    const ids = new BigInt64Array(B * T).fill(BigInt(this.padId)); // (B, T)
    const mask = new BigInt64Array(B * T); // (B, T) 1 on tokens, 0 on padding
    pairs.forEach((p, b) => {
      for (let t = 0; t < p.length; t++) {
        ids[b * T + t] = BigInt(p[t]);
        mask[b * T + t] = 1n;
      }
    });
    const out = await this.session.run({
      input_ids: new this.ort.Tensor('int64', ids, [B, T]),
      attention_mask: new this.ort.Tensor('int64', mask, [B, T]),
    });
    const logits = out.logits; // (B, 2) [out_of_scope, in_scope]
    if (
      !logits ||
      logits.type !== 'float32' ||
      logits.dims.length !== 2 ||
      logits.dims[0] !== B ||
      logits.dims[1] !== 2
    ) {
      throw new EngineError(
        'LOAD',
        `serac scope: logits must be float32 (B, 2)=(${B}, 2), got ${logits?.type} (${logits?.dims.join(', ')})`,
        'the scope model must be a two-class [out_of_scope, in_scope] classifier',
      );
    }
    const data = logits.data as Float32Array;
    const scores = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      // softmax(l)[1] for two classes, written so a large logit gap cannot overflow exp.
      scores[b] = 1 / (1 + Math.exp(data[b * 2 + OUT_OF_SCOPE] - data[b * 2 + IN_SCOPE]));
    }
    return scores;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
