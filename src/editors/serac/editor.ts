// SeracEditor (Mitchell et al. 2022): edits live in an explicit memory of (prompt, target) pairs and the
// base model is never changed. Per query the scope model scores every stored edit; the top-1 edit at or
// above the threshold sends the query to the counterfactual model, which reads the edit and the query in
// its form (counterfactual.ts); otherwise the frozen base model answers. Implements the evaluation's
// EditMethod, gated by the threshold. Not thread-safe: one call at a time (the worker serialises). Not
// the scope model (scope.ts, embedding-scope.ts) nor the counterfactual's input (counterfactual.ts).

import { EngineError, throwIfAborted } from '../../engine/errors';
import { generate } from '../../engine/model/generate';
import { BoundedCache } from '../../lib/bounded-cache';
import type { Transformer } from '../../engine/model/transformer';
import type { Gated } from '../../eval/gate-sweep';
import type { EditOutcome, EditRequest, TeacherForced } from '../../eval/method';
import { promptTarget, teacherForcedFromLogits } from '../../eval/teacher-forced';
import type { TextCodec } from '../../models/codec';
import { route, top1 } from './router';
import { counterfactualInput, type Counterfactual } from './counterfactual';
import { DEFAULT_THRESHOLD, editText, type ScopeScorer } from './scope';

/** A decoder on the engine and the codec of its tokenizer. */
export interface SeracLm {
  readonly transformer: Transformer;
  readonly codec: TextCodec;
}

export interface SeracOptions {
  /** In scope when the top-1 score is >= this (SERAC: 0.5). */
  readonly threshold?: number;
}

interface SeracEdit {
  readonly editId: string;
  readonly prompt: string;
  readonly target: string;
  /** prompt + " " + target, as the classifier and the counterfactual model read it. */
  readonly text: string;
}

interface Scored {
  readonly edits: readonly SeracEdit[];
  /** (E) P(in scope) per edit, in the order of `edits`. */
  readonly scores: Float32Array;
}

/** Where a query goes and every stored edit's score for it (for the scope explorer and diagnostics). */
export interface SeracProbe {
  /** The edit the query is routed to; null = the base model answers. */
  readonly routed: string | null;
  /** The top-1 edit (the earliest on ties, as routing breaks them) and its score, routed or not; null
   *  with no stored edits. */
  readonly best: { readonly editId: string; readonly score: number } | null;
  readonly scores: ReadonlyMap<string, number>;
}

/** Queries whose scores are kept per memory revision: a whole eval's prompts (T=1000 measures ~12 per
 *  record) at T floats each. */
const MAX_CACHED = 16_384;

/** Whether x can be a scope threshold: a number in [0, 1], as the scope classifier's scores are. */
export function isThreshold(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
}

/** Refuses (SHAPE) what cannot be a scope threshold, before it is used or stored. */
export function requireThreshold(x: number): void {
  if (!isThreshold(x))
    throw new EngineError('SHAPE', `serac: threshold must be a number in [0, 1], got ${x}`);
}

export class SeracEditor implements Gated<SeracEditor> {
  readonly name = 'serac';
  readonly threshold: number;
  /** Insertion order is the routing order (ties go to the earlier edit); re-editing an id keeps its place. */
  private readonly memory = new Map<string, SeracEdit>();
  /** Bumped on every change of the memory, so cached scores are never reused across one. */
  private revision = 0;
  /** Scores of the queries asked since the memory last changed (at most MAX_CACHED, oldest dropped): the
   *  eval asks teacherForced, greedy and probe about a prompt, and its routing report asks again after
   *  measuring; scoring all T edits is the costly part of a query. */
  private cached = { revision: 0, byQuery: new BoundedCache<string, Scored>(MAX_CACHED) };

  constructor(
    private readonly base: SeracLm,
    private readonly counterfactual: Counterfactual,
    private readonly scope: ScopeScorer,
    opts: SeracOptions = {},
  ) {
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    requireThreshold(this.threshold);
  }

  get size(): number {
    return this.memory.size;
  }

  /** Stores the edit (nothing is trained, so steps and loss are 0); the same id replaces the old edit. */
  async applyEdit(edit: EditRequest, opts: { signal?: AbortSignal } = {}): Promise<EditOutcome> {
    throwIfAborted(opts.signal, 'serac: edit');
    const started = performance.now();
    for (const field of ['prompt', 'target'] as const) {
      if (edit[field].trim() === '') {
        throw new EngineError(
          'SHAPE',
          `serac: edit "${edit.id}" has an empty ${field}`,
          `give the edit a ${field}`,
        );
      }
    }
    const text = editText(edit.prompt, edit.target);
    this.memory.set(edit.id, { editId: edit.id, prompt: edit.prompt, target: edit.target, text });
    this.revision++;
    return { id: edit.id, steps: 0, finalLoss: 0, millis: performance.now() - started };
  }

  /** Forgets an edit: its queries go to another edit or to the base model afterwards. */
  delete(editId: string): void {
    if (!this.memory.delete(editId)) throw new EngineError('SHAPE', `serac: no edit with id "${editId}"`);
    this.revision++;
  }

  get gate(): number {
    return this.threshold;
  }

  /** The same memory routed at another threshold, sharing the scores already computed (a view for
   *  measuring: edits made to either afterwards do not reach the other). */
  withGate(threshold: number): SeracEditor {
    const view = new SeracEditor(this.base, this.counterfactual, this.scope, { threshold });
    for (const [id, edit] of this.memory) view.memory.set(id, edit);
    view.revision = this.revision;
    view.cached = this.cached;
    return view;
  }

  async routeOf(query: string): Promise<string | null> {
    return (await this.probe(query)).routed;
  }

  async probe(query: string): Promise<SeracProbe> {
    const { edits, scores } = await this.scored(query);
    const routed = route(scores, this.threshold);
    const best = top1(scores);
    return {
      routed: routed ? edits[routed.index].editId : null,
      best: best ? { editId: edits[best.index].editId, score: best.score } : null,
      scores: new Map(edits.map((e, i) => [e.editId, scores[i]])),
    };
  }

  async teacherForced(prompt: string, target: string): Promise<TeacherForced> {
    const { lm, context } = await this.answererFor(prompt);
    const seq = promptTarget(
      { encode: (t) => lm.codec.encode(t, true), encodeContinuation: (t) => lm.codec.encode(t, false) },
      context,
      target,
      'serac',
    );
    const logits = await lm.transformer.forward(seq.ids, { allLogits: true }); // (T, V)
    return teacherForcedFromLogits(logits, lm.transformer.config.vocabSize, seq);
  }

  async greedy(prompt: string, maxNew: number): Promise<Int32Array> {
    return (await this.generated(prompt, maxNew)).tokens;
  }

  /** The greedy answer as text, decoded by the model that gave it, and where the query went. */
  async answer(query: string, maxNew: number): Promise<{ text: string; probe: SeracProbe }> {
    const { lm, tokens } = await this.generated(query, maxNew);
    return { text: lm.codec.decode(tokens), probe: await this.probe(query) };
  }

  private async generated(query: string, maxNew: number): Promise<{ lm: SeracLm; tokens: Int32Array }> {
    const { lm, context } = await this.answererFor(query);
    const out = await generate(lm.transformer, lm.codec.encode(context, true), { maxNewTokens: maxNew });
    return { lm, tokens: Int32Array.from(out.tokens) };
  }

  /** The model that answers `query` and the text it reads: the counterfactual with the routed edit in
   *  its form, or the base model with the query alone. */
  private async answererFor(query: string): Promise<{ lm: SeracLm; context: string }> {
    const { edits, scores } = await this.scored(query);
    const routed = route(scores, this.threshold);
    if (!routed) return { lm: this.base, context: query };
    const { lm, format } = this.counterfactual;
    return { lm, context: counterfactualInput(format, edits[routed.index].text, query) };
  }

  /** The stored edits in routing order and the query's score for each. */
  private async scored(query: string): Promise<Scored> {
    if (this.cached.revision !== this.revision) {
      this.cached = { revision: this.revision, byQuery: new BoundedCache(MAX_CACHED) };
    }
    return this.cached.byQuery.getOrCompute(query, async () => {
      const edits = [...this.memory.values()];
      const scores = await this.scope.scores(
        edits.map((e) => e.text),
        query,
      );
      return { edits, scores };
    });
  }
}
