// The engine worker's SERAC editor for the loaded base model (DESIGN §5, §10), beside MEMOIR on the same
// edits. SERAC needs a scope model and a counterfactual beside the base model, chosen per base model by
// registry.ts seracCompanionsFor (the bundled ones for the bundled base; else a hub sentence-embedding
// scope and the base itself with the edit in context; or what the user picked, stored per base model).
// They load on first use, with progress and cancel, so the app starts as fast without them; an embedding
// scope's threshold is calibrated for the base model on the shipped calibration set the first time and
// stored; its edit embeddings are kept in IndexedDB (store/embeddings.ts), so a reload does not embed the
// stored edits again. SERAC trains nothing: its memory is the user's stored edit list (read from the store at every
// call), so an edit or a deletion is in force in SERAC at once. The threshold the user set wins over the
// scope model's own (card or calibration). Wires calls to src/editors/serac; no routing logic lives here.
import * as ort from 'onnxruntime-web/wasm';
import { calibrateScope, type SeracCalibration } from '../editors/serac/calibrate-scope';
import { counterfactualFor, formKind, type Counterfactual } from '../editors/serac/counterfactual';
import { requireThreshold, SeracEditor, type SeracLm, type SeracProbe } from '../editors/serac/editor';
import { EmbeddingScope, type EmbeddingCache } from '../editors/serac/embedding-scope';
import { cardThreshold, ScopeClassifier, type ScopeScorer } from '../editors/serac/scope';
import { EngineError, throwIfAborted } from '../engine/errors';
import { freeParams } from '../engine/model/params';
import type { Transformer } from '../engine/model/transformer';
import { CALIBRATION_SET_URL, parseCalibrationSet } from '../eval/calibration-set';
import { fetchAppJson } from '../lib/app-json';
import { lazy, type Lazy } from '../lib/lazy';
import { codecFromTokenizer } from '../models/codec';
import { describeSource, fetchBytes, fetchJson, type ModelSource } from '../models/hub';
import { loadModel } from '../models/load';
import { seracCompanionsFor, type CompanionPicks, type SeracCompanions } from '../models/registry';
import { hasChatTemplate, loadTokenizer, type PreTrainedTokenizer } from '../models/tokenizer';
import { embeddingCache } from '../store/embeddings';
import {
  readCompanionPicks,
  readSeracCalibration,
  readSeracThreshold,
  writeCompanionPicks,
  writeSeracCalibration,
  writeSeracThreshold,
} from '../store/serac';
import { lessonEditId, runBenchmark } from './benchmark';
import type {
  BenchmarkResult,
  EditText,
  ParamsOf,
  ResultOf,
  SeracCompanionsInUse,
  SeracRoutingSummary,
  SeracScopeProbe,
  SeracThreshold,
  WeightPrecision,
} from './protocol';
import type { Database } from './database';
import type { CallContext } from './serve';
import { ORT_WASM_PATHS } from './transformers-ort';

/** The thresholds the Benchmark view re-measures a run's edits at (the run's own is added). */
const THRESHOLD_SWEEP = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/** The bundled scope model's graph; the fp32 export, whose agreement with torch the foundry checked. */
const SCOPE_ONNX = 'onnx/model.onnx';

/** The progress label of a scope calibration. */
export const SCOPE_CALIBRATION_LABEL = 'SERAC: calibrating the scope threshold';

interface Base {
  source: ModelSource;
  /** describeSource of the base model's source: the key of its stored settings. */
  modelId: string;
  lm: SeracLm;
  tokenizer: PreTrainedTokenizer;
  precision: WeightPrecision;
  /** The companions chosen for it (the user's picks read from the store), each with its form. */
  chosen: Lazy<[], Chosen>;
  /** The companions' weights, loaded on first use (with that call's progress and cancel). */
  loaded: Lazy<[CallContext], Loaded>;
}

interface Chosen {
  companions: SeracCompanions;
  inUse: SeracCompanionsInUse;
  /** The key the user's threshold is stored under beside the model id (embedding scopes only). */
  scopeKey: string | undefined;
  /** The bundled scope model's card threshold; null for an embedding scope (calibrated instead). */
  cardThreshold: number | null;
  problems: string[];
}

interface Loaded {
  counterfactual: Counterfactual;
  scope: ScopeScorer;
  release(): Promise<void>;
}

export class SeracSession {
  private base: Base | null = null;
  /** What the edit-embedding cache could not read or store (reported with the threshold). */
  private readonly cacheProblems = new Set<string>();

  constructor(private readonly database: Database) {}

  /** A new base model: the old companions go (their weights freed), the new ones load on first use. */
  attach(
    source: ModelSource,
    model: Transformer,
    tokenizer: PreTrainedTokenizer,
    precision: WeightPrecision,
  ) {
    this.release();
    const lm = { transformer: model, codec: codecFromTokenizer(tokenizer) };
    this.base = this.choosing({ source, modelId: describeSource(source), lm, tokenizer, precision });
  }

  /** The base model with its companions to be chosen and loaded on first use. */
  private choosing(base: Omit<Base, 'chosen' | 'loaded'>): Base {
    const chosen = lazy(() => this.choose(base.source, base.modelId, base.tokenizer));
    return {
      ...base,
      chosen,
      loaded: lazy(async (ctx: CallContext) => {
        const cache = embeddingCache(await this.database(), (p) => this.cacheProblems.add(p));
        return loadCompanions(base.lm, base.tokenizer, base.precision, await chosen(), cache, ctx);
      }),
    };
  }

  /** The companions for the base model with the user's stored picks, and the form each takes (reads
   *  cards and tokenizer configs, no weights). */
  private async choose(
    source: ModelSource,
    modelId: string,
    tokenizer: PreTrainedTokenizer,
  ): Promise<Chosen> {
    let stored: { picks: CompanionPicks; problems: readonly string[] };
    try {
      stored = await readCompanionPicks(await this.database(), modelId);
    } catch (error) {
      stored = {
        picks: {},
        problems: [`storage: SERAC's companion choice could not be read: ${message(error)}`],
      };
    }
    const companions = seracCompanionsFor(source, stored.picks);
    const { scope, counterfactual } = companions;
    const scopeModel = describeSource(scope.source);
    const cf =
      counterfactual.kind === 'base'
        ? { kind: hasChatTemplate(tokenizer) ? ('chat' as const) : ('in-context' as const), model: null }
        : {
            kind: await counterfactualKind(counterfactual.source),
            model: describeSource(counterfactual.source),
          };
    return {
      companions,
      inUse: {
        scope: { kind: scope.kind, model: scopeModel, reason: scope.reason },
        counterfactual: { ...cf, reason: counterfactual.reason },
        picks: stored.picks,
      },
      scopeKey: scope.kind === 'embedding' ? scopeModel : undefined,
      cardThreshold:
        scope.kind === 'cross-encoder'
          ? cardThreshold(await fetchJson(scope.source, 'editscope.json', { optional: true }))
          : null,
      problems: [...stored.problems],
    };
  }

  /** The threshold SERAC routes with for the loaded model, where it comes from, and the companions.
   *  Reads cards and settings, no weights. An unreadable stored setting is reported, not used. */
  async threshold(): Promise<SeracThreshold> {
    const base = this.requireBase();
    const chosen = await base.chosen();
    const problems = [...chosen.problems, ...this.cacheProblems];
    const db = await this.database();
    /** A stored setting, its problems collected; an unreadable one is a problem and `none`. */
    const read = async <T extends { problems: readonly string[] }>(
      what: string,
      get: () => Promise<T>,
      none: T,
    ): Promise<T> => {
      try {
        const value = await get();
        problems.push(...value.problems);
        return value;
      } catch (error) {
        problems.push(`storage: the SERAC ${what} could not be read: ${message(error)}`);
        return none;
      }
    };
    const { scopeKey } = chosen;
    const user = await read('threshold', () => readSeracThreshold(db, base.modelId, scopeKey), {
      threshold: null,
      problems: [],
    });
    const { calibration } =
      scopeKey === undefined
        ? { calibration: null }
        : await read('scope calibration', () => readSeracCalibration(db, base.modelId, scopeKey), {
            calibration: null,
            problems: [],
          });
    const own = chosen.cardThreshold ?? calibration?.threshold ?? null;
    return {
      threshold: user.threshold ?? own,
      source:
        user.threshold !== null
          ? 'user'
          : chosen.cardThreshold !== null
            ? 'card'
            : own !== null
              ? 'calibrated'
              : 'uncalibrated',
      defaultThreshold: own,
      calibration: calibration && {
        threshold: calibration.threshold,
        paraphraseOwn: calibration.paraphraseOwnAtThreshold,
        reason: calibration.reason,
        createdAt: calibration.createdAt,
      },
      companions: chosen.inUse,
      problems,
    };
  }

  /** Route at `threshold` from now on and after a reload (null: the scope model's own again). Scores
   *  are not recomputed ahead: the next call routes with it. */
  async setThreshold({ threshold }: ParamsOf<'seracSetThreshold'>): Promise<SeracThreshold> {
    const base = this.requireBase();
    if (threshold !== null) requireThreshold(threshold);
    const { scopeKey } = await base.chosen();
    await writeSeracThreshold(await this.database(), base.modelId, threshold, scopeKey);
    return this.threshold();
  }

  /** Other companions for this base model from now on: stored, the loaded ones freed, the new ones
   *  loaded (and an embedding scope calibrated) on the next call. A name that is not a model ref is
   *  refused before anything is stored. */
  async setCompanions(picks: ParamsOf<'seracSetCompanions'>): Promise<SeracThreshold> {
    const base = this.requireBase();
    seracCompanionsFor(base.source, picks); // refuses (LOAD) a name that is not a model ref
    await writeCompanionPicks(await this.database(), base.modelId, picks);
    this.releaseCompanions();
    this.base = this.choosing(base);
    return this.threshold();
  }

  /** Loads the companions and calibrates an embedding scope's threshold anew (stored). */
  async calibrate(_: ParamsOf<'seracCalibrate'>, ctx: CallContext): Promise<SeracThreshold> {
    const base = this.requireBase();
    await this.calibrated(await base.loaded(ctx), ctx, true);
    return this.threshold();
  }

  /** SERAC's greedy answer to `prompt` over the stored edits, and which edit the scope model routed it to. */
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

  /** The threshold to route with: the stored one, else (an embedding scope never calibrated for this
   *  base model, or `again`) a calibration made now and stored. */
  private async calibrated(loaded: Loaded, ctx: CallContext, again = false): Promise<number> {
    const base = this.requireBase();
    const now = await this.threshold();
    if (now.threshold !== null && !again) return now.threshold;
    const { scopeKey } = await base.chosen();
    if (scopeKey === undefined) {
      if (now.threshold === null) throw new EngineError('LOAD', 'serac: the scope model has no threshold');
      return now.threshold; // a cross-encoder's threshold is on its card: nothing to calibrate
    }
    const set = parseCalibrationSet(await fetchAppJson(CALIBRATION_SET_URL));
    const calibration: SeracCalibration = await calibrateScope(loaded.scope, set, {
      modelId: base.modelId,
      scopeModel: scopeKey,
      signal: ctx.signal,
      onProgress: (p: { done: number; total: number }) =>
        ctx.progress({
          status: p.done === p.total ? 'done' : 'progress',
          label: SCOPE_CALIBRATION_LABEL,
          loaded: p.done,
          total: p.total,
        }),
    });
    throwIfAborted(ctx.signal, 'serac: scope calibration');
    await writeSeracCalibration(await this.database(), calibration);
    return now.source === 'user' && now.threshold !== null ? now.threshold : calibration.threshold;
  }

  /** A SERAC editor holding `edits` in creation order (ties in routing go to the earlier edit). */
  private async editorOver(edits: readonly EditText[], ctx: CallContext) {
    const base = this.requireBase();
    const loaded = await base.loaded(ctx);
    const threshold = await this.calibrated(loaded, ctx);
    const editor = new SeracEditor(base.lm, loaded.counterfactual, loaded.scope, { threshold });
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

  private releaseCompanions() {
    void this.base?.loaded.current?.then(
      (loaded) => loaded.release(),
      () => undefined,
    );
  }

  private release() {
    this.releaseCompanions();
    this.base = null;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The form a counterfactual model other than the base takes, from its card and tokenizer config (as
 *  counterfactualFor decides it once loaded). */
async function counterfactualKind(source: ModelSource): Promise<'trained' | 'in-context' | 'chat'> {
  const [card, config] = await Promise.all([
    fetchJson(source, 'editscope.json', { optional: true }),
    fetchJson(source, 'tokenizer_config.json', { optional: true }),
  ]);
  return formKind(card, !!(config as { chat_template?: unknown } | null)?.chat_template);
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

/** The chosen companions' weights, with progress per file: the counterfactual (none to load when it is
 *  the base model) and the scope model. Whatever loaded is freed when a later part fails. */
async function loadCompanions(
  base: SeracLm,
  baseTokenizer: PreTrainedTokenizer,
  precision: WeightPrecision,
  chosen: Chosen,
  cache: EmbeddingCache,
  ctx: CallContext,
): Promise<Loaded> {
  const fileProgress = (p: { file: string; loaded: number; total: number }) =>
    ctx.progress({
      status: p.loaded === p.total ? 'done' : 'progress',
      label: p.file,
      loaded: p.loaded,
      total: p.total,
    });
  const { scope, counterfactual } = chosen.companions;
  const releases: (() => Promise<void> | void)[] = [];
  const release = async () => {
    for (const r of releases.splice(0).reverse()) await r();
  };
  try {
    let cf: Counterfactual;
    if (counterfactual.kind === 'base') {
      cf = counterfactualFor(base, baseTokenizer, null);
    } else {
      const transformer = await loadModel(base.transformer.backend, counterfactual.source, {
        precision,
        signal: ctx.signal,
        onProgress: fileProgress,
      });
      releases.push(() => freeParams(transformer.backend, transformer.params));
      const tokenizer = await loadTokenizer(counterfactual.source);
      const card = await fetchJson(counterfactual.source, 'editscope.json', { optional: true });
      cf = counterfactualFor({ transformer, codec: codecFromTokenizer(tokenizer) }, tokenizer, card);
    }
    // Either scope model runs on onnxruntime-web's wasm EP on one thread: it is small, and it leaves the
    // GPU to the engine (transformers-ort.ts hands transformers.js this same ort).
    ort.env.wasm.wasmPaths = ORT_WASM_PATHS;
    ort.env.wasm.numThreads = 1;
    let scorer: ScopeScorer;
    if (scope.kind === 'cross-encoder') {
      const bytes = await fetchBytes(scope.source, SCOPE_ONNX, {
        signal: ctx.signal,
        onProgress: fileProgress,
      });
      const classifier = await ScopeClassifier.load(
        ort,
        new Uint8Array(bytes),
        await loadTokenizer(scope.source),
        describeSource(scope.source),
      );
      releases.push(() => classifier.release());
      scorer = classifier;
    } else {
      const embedding = await EmbeddingScope.load(scope.source, {
        wasmPaths: ORT_WASM_PATHS,
        cache,
        signal: ctx.signal,
        onProgress: fileProgress,
      });
      releases.push(() => embedding.release());
      scorer = embedding;
    }
    ctx.progress({ status: 'ready', label: 'SERAC models', loaded: 1, total: 1 });
    return { counterfactual: cf, scope: scorer, release };
  } catch (error) {
    await release();
    throw error;
  }
}
