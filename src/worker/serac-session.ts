// The engine worker's SERAC editor for the loaded base model (DESIGN §5), beside MEMOIR on the same edits.
// SERAC needs two models of the edits beside the base model: a counterfactual decoder and a scope
// classifier (registry.ts: the bundled ones, trained for the bundled base model and lent to any other,
// which the threshold reports). They load on first use, with progress, so the app starts as fast
// without them. SERAC trains nothing: its memory is the user's stored edit list (prompt and answer of each
// edit, read from the store at every call), so an edit or a deletion is in force in SERAC at once, and an
// edit whose MEMOIR record was lost still holds in SERAC. The scope
// threshold is the scope model's own unless the user set another for this base model (stored in the
// settings, src/store/serac.ts). Wires calls to src/editors/serac; no routing logic lives here.
import * as ort from 'onnxruntime-web/wasm';
import { trainedCounterfactual } from '../editors/serac/counterfactual';
import { requireThreshold, SeracEditor, type SeracLm, type SeracProbe } from '../editors/serac/editor';
import { cardThreshold, ScopeClassifier } from '../editors/serac/scope';
import { EngineError, throwIfAborted } from '../engine/errors';
import { loadModel } from '../models/load';
import { freeParams } from '../engine/model/params';
import type { Transformer } from '../engine/model/transformer';
import { codecFromTokenizer } from '../models/codec';
import { describeSource, fetchBytes, fetchJson, type ModelSource } from '../models/hub';
import { lazy, type Lazy } from '../lib/lazy';
import { readSeracThreshold, writeSeracThreshold } from '../store/serac';
import { seracCompanionsFor, type SeracCompanions } from '../models/registry';
import { loadTokenizer, type PreTrainedTokenizer } from '../models/tokenizer';
import { lessonEditId, runBenchmark } from './benchmark';
import type {
  BenchmarkResult,
  EditText,
  ParamsOf,
  ResultOf,
  SeracRoutingSummary,
  SeracScopeProbe,
  SeracThreshold,
  WeightPrecision,
} from './protocol';
import type { Database } from './database';
import type { CallContext } from './serve';

/** The thresholds the Benchmark view re-measures a run's edits at (the run's own is added). */
const THRESHOLD_SWEEP = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/** The scope model's graph; the fp32 export, whose agreement with torch the foundry checked. */
const SCOPE_ONNX = 'onnx/model.onnx';

interface Base {
  /** describeSource of the base model's source: the key of its stored threshold. */
  modelId: string;
  lm: SeracLm;
  companions: SeracCompanions;
  /** The scope model's own threshold (its card), fetched on first use and kept. */
  cardThreshold: Lazy<[], number>;
  /** The companions' weights, loaded on first use (with that call's progress and cancel). */
  loaded: Lazy<[CallContext], Loaded>;
}

interface Loaded {
  counterfactual: SeracLm;
  scope: ScopeClassifier;
}

export class SeracSession {
  private base: Base | null = null;

  constructor(private readonly database: Database) {}

  /** A new base model: the old companions go (their weights freed), the new ones load on first use. */
  attach(
    source: ModelSource,
    model: Transformer,
    tokenizer: PreTrainedTokenizer,
    precision: WeightPrecision,
  ) {
    this.release();
    const modelId = describeSource(source);
    const lm = { transformer: model, codec: codecFromTokenizer(tokenizer) };
    const companions = seracCompanionsFor(source);
    this.base = {
      modelId,
      lm,
      companions,
      cardThreshold: lazy(async () => scopeCardThreshold(companions)),
      loaded: lazy((ctx: CallContext) => loadCompanions(lm, precision, companions, ctx)),
    };
  }

  /** The threshold SERAC routes with for the loaded model, the scope model's own, and which companion
   *  models SERAC uses. Reads only the scope model's card, not its weights. An unreadable stored
   *  threshold is reported, not used. */
  async threshold(): Promise<SeracThreshold> {
    const base = this.requireBase();
    const defaultThreshold = await base.cardThreshold();
    let stored;
    try {
      stored = await readSeracThreshold(await this.database(), base.modelId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      stored = { threshold: null, problems: [`storage: the SERAC threshold could not be read: ${message}`] };
    }
    return {
      threshold: stored.threshold ?? defaultThreshold,
      defaultThreshold,
      companions: {
        counterfactual: describeSource(base.companions.counterfactual),
        scope: describeSource(base.companions.scope),
        trainedForBase: base.companions.trainedForBase,
      },
      problems: [...stored.problems],
    };
  }

  /** Route at `threshold` from now on and after a reload (null: the scope model's own again). Scores
   *  are not recomputed ahead: the next call routes with it. */
  async setThreshold({ threshold }: ParamsOf<'seracSetThreshold'>): Promise<SeracThreshold> {
    const base = this.requireBase();
    if (threshold !== null) requireThreshold(threshold);
    await writeSeracThreshold(await this.database(), base.modelId, threshold);
    return this.threshold();
  }

  /** SERAC's greedy answer to `prompt` over the stored edits, and which edit the scope classifier
   *  routed it to. */
  async compare(
    { prompt, maxTokens }: ParamsOf<'seracCompare'>,
    ctx: CallContext,
  ): Promise<ResultOf<'seracCompare'>> {
    const { editor, ordered, threshold } = await this.editorOver(await this.storedEdits(), ctx);
    const { text, probe } = await editor.answer(prompt, maxTokens);
    return { answer: text, routing: routingSummary(probe, ordered, threshold) };
  }

  /** compare() for many prompts, each with its score for one stored edit; progress per prompt,
   *  cancellable between prompts. */
  async scope(
    { editId, prompts, maxTokens }: ParamsOf<'seracScope'>,
    ctx: CallContext,
  ): Promise<ResultOf<'seracScope'>> {
    const edits = await this.storedEdits();
    if (!edits.some((e) => e.id === editId)) {
      throw new EngineError('SHAPE', `serac: no stored edit ${editId}`, 'pick one of the stored edits');
    }
    const { editor, ordered, threshold } = await this.editorOver(edits, ctx);
    return {
      threshold,
      probes: await scopeProbes(editor, ordered, threshold, editId, prompts, maxTokens, ctx),
    };
  }

  /** A lesson's edits in a scratch SERAC memory (the user's are not used), then scope() of its prompts
   *  in that memory against its first edit. */
  async lesson(
    { edits, prompts, maxTokens }: ParamsOf<'seracLesson'>,
    ctx: CallContext,
  ): Promise<ResultOf<'seracLesson'>> {
    const texts = edits.map((e, i) => ({ ...e, id: lessonEditId(i), createdAt: i }));
    const { editor, ordered, threshold } = await this.editorOver(texts, ctx);
    const editId = lessonEditId(0);
    return {
      threshold,
      probes: await scopeProbes(editor, ordered, threshold, editId, prompts, maxTokens, ctx),
    };
  }

  /** SERAC's memory: the loaded model's stored edits as the user typed them. An unreadable record is left
   *  out (MEMOIR's status reports it). */
  private async storedEdits(): Promise<EditText[]> {
    const { modelId } = this.requireBase();
    return (await (await this.database()).listEdits(modelId)).records;
  }

  /** A SERAC editor holding `edits` in creation order (ties in routing go to the earlier edit). */
  private async editorOver(edits: readonly EditText[], ctx: CallContext) {
    const base = this.requireBase();
    const { counterfactual, scope } = await base.loaded(ctx);
    const { threshold } = await this.threshold();
    const editor = new SeracEditor(base.lm, trainedCounterfactual(counterfactual, '<sep>'), scope, {
      threshold,
    });
    const ordered = [...edits].sort((a, b) => a.createdAt - b.createdAt);
    for (const e of ordered) await editor.applyEdit({ id: e.id, prompt: e.prompt, target: e.target });
    return { editor, ordered, threshold };
  }

  /** The first T benchmark records stored one after another in a scratch SERAC memory (the user's
   *  edits are not used), then measured as the eval CLI does, and again at each threshold of
   *  THRESHOLD_SWEEP. */
  async benchmark(params: ParamsOf<'seracBenchmark'>, ctx: CallContext): Promise<BenchmarkResult> {
    const { editor } = await this.editorOver([], ctx);
    const { modelId } = this.requireBase();
    return runBenchmark({ method: 'serac', editor, modelId, grid: THRESHOLD_SWEEP }, params, ctx);
  }

  private requireBase(): Base {
    if (!this.base) {
      throw new EngineError('LOAD', 'serac: no model is loaded', 'load a model in the Models view first');
    }
    return this.base;
  }

  private release() {
    const previous = this.base?.loaded.current;
    this.base = null;
    void previous?.then(
      ({ counterfactual, scope }) => {
        freeParams(counterfactual.transformer.backend, counterfactual.transformer.params);
        return scope.release();
      },
      () => undefined,
    );
  }
}

/** Each prompt's SERAC answer in `editor`, with its score for edit `editId`; progress per prompt,
 *  cancellable between prompts. */
async function scopeProbes(
  editor: SeracEditor,
  ordered: readonly EditText[],
  threshold: number,
  editId: string,
  prompts: readonly string[],
  maxTokens: number,
  ctx: CallContext,
): Promise<SeracScopeProbe[]> {
  const probes: SeracScopeProbe[] = [];
  const label = 'SERAC scope probes';
  for (const prompt of prompts) {
    throwIfAborted(ctx.signal, 'serac: scope probes');
    const { text, probe } = await editor.answer(prompt, maxTokens);
    probes.push({
      prompt,
      score: probe.scores.get(editId)!,
      routing: routingSummary(probe, ordered, threshold),
      answer: text,
    });
    ctx.progress({ status: 'progress', label, loaded: probes.length, total: prompts.length });
  }
  return probes;
}

/** The threshold the scope model's card names (SERAC's 0.5 without one). */
async function scopeCardThreshold(companions: SeracCompanions): Promise<number> {
  return cardThreshold(await fetchJson(companions.scope, 'editscope.json', { optional: true }));
}

/** The top-scoring stored edit (the router's top-1) and whether it routed, as the UI shows it. */
function routingSummary(
  probe: SeracProbe,
  ordered: readonly EditText[],
  threshold: number,
): SeracRoutingSummary {
  const best = probe.best && ordered.find((e) => e.id === probe.best!.editId)!;
  return {
    threshold,
    best: best ? { id: best.id, prompt: best.prompt, target: best.target, score: probe.best!.score } : null,
    applied: probe.routed !== null,
  };
}

async function loadCompanions(
  base: SeracLm,
  precision: WeightPrecision,
  companions: SeracCompanions,
  ctx: CallContext,
): Promise<Loaded> {
  const fileProgress = (p: { file: string; loaded: number; total: number }) =>
    ctx.progress({
      status: p.loaded === p.total ? 'done' : 'progress',
      label: p.file,
      loaded: p.loaded,
      total: p.total,
    });
  const transformer = await loadModel(base.transformer.backend, companions.counterfactual, {
    precision,
    signal: ctx.signal,
    onProgress: fileProgress,
  });
  try {
    const counterfactual = {
      transformer,
      codec: codecFromTokenizer(await loadTokenizer(companions.counterfactual)),
    };
    const bytes = await fetchBytes(companions.scope, SCOPE_ONNX, {
      signal: ctx.signal,
      onProgress: fileProgress,
    });
    // The wasm EP on one thread: the classifier is small, and it leaves the GPU to the engine.
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = 1;
    const scope = await ScopeClassifier.load(
      ort,
      new Uint8Array(bytes),
      await loadTokenizer(companions.scope),
      describeSource(companions.scope),
    );
    ctx.progress({ status: 'ready', label: 'SERAC models', loaded: 1, total: 1 });
    return { counterfactual, scope };
  } catch (error) {
    freeParams(transformer.backend, transformer.params);
    throw error;
  }
}
