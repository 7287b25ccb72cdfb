// The engine worker's MEMOIR editor for the loaded model: restores the memory from IndexedDB on model
// load (background statistics computed once per model and cached), trains edits with step progress and
// cancellation, deletes them exactly, persists every change (undoing one that storage refuses), keeps
// the stored edits whose trained change was lost (to apply again or remove), compares base vs edited
// completions, and runs the bundled facts benchmark on a scratch memory (also re-measured along a sweep
// of τ).
// Wires protocol calls to src/editors/memoir and src/store; no training or routing logic lives here.
import { defaultMemoirConfig, type MemoirConfig } from '../editors/memoir/config';
import { MemoirEditor, type MemoirEdit } from '../editors/memoir/editor';
import { EngineEditableModel } from '../editors/memoir/engine-adapter';
import { codecFromTokenizer } from '../models/codec';
import { computeBackgroundStats, type BackgroundStats } from '../editors/memoir/tophash';
import { EngineError, throwIfAborted } from '../engine/errors';
import { topTokens } from '../engine/model/generate';
import type { Transformer } from '../engine/model/transformer';
import { describeSource, type ModelSource } from '../models/hub';
import type { PreTrainedTokenizer } from '../models/tokenizer';
import type { EditscopeDB } from '../store/db';
import {
  backgroundStatsFrom,
  backgroundStatsRecord,
  editsNotInForce,
  memoirEditRecord,
  memoirMemoryRecord,
  memoirSnapshot,
} from '../store/memoir';
import type { EditRecord } from '../store/schema';
import type {
  BenchmarkResult,
  EditSummary,
  MemoirStatus,
  ParamsOf,
  ResultOf,
  RoutingSummary,
  ScopeProbe,
} from './protocol';
import { fetchAppJson } from '../lib/app-json';
import { runBenchmark } from './benchmark';
import type { Database } from './database';
import type { CallContext } from './serve';

/** Unrelated prompts for TopHash's background mean; served by the app, usable with any model. */
const BACKGROUND_URL = '/benchmarks/background-prompts.json';
/** The gates the Benchmark view re-measures a run's memory at: from one that opens for most prompts
 *  to one that opens for little but the edit prompts themselves (the memory's own τ is added). */
const TAU_SWEEP = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
/** Candidates for the next token the Probe view lists per model. */
const NEXT_TOKENS = 5;

interface Attached {
  editor: MemoirEditor;
  /** The τ of a new memory of this model (memoirConfigFor). */
  defaultTau: number;
  model: EngineEditableModel;
  /** The background prompts and their statistics the editor was built with. */
  background: { prompts: string[]; stats: BackgroundStats };
  createdAt: Map<string, number>;
  /** Stored edits the editor does not hold (editsNotInForce), by id. */
  notInForce: Map<string, EditRecord>;
  problems: string[];
}

export class MemoirSession {
  private attached: Attached | null = null;
  /** Why the editor is not available for the loaded model (storage refused, cancelled, …). */
  private attachError: EngineError | null = null;

  constructor(private readonly database: Database) {}

  /** Builds the editor for a freshly loaded model, restoring its stored memory. Never throws: a failure
   *  leaves the base model usable and is reported by every MEMOIR call. */
  async attach(source: ModelSource, model: Transformer, tokenizer: PreTrainedTokenizer, ctx: CallContext) {
    this.attached = null;
    this.attachError = null;
    try {
      await this.build(source, model, tokenizer, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.attachError = new EngineError(
        'LOAD',
        `memoir: the editor could not start: ${message}`,
        'reload the model',
      );
    }
  }

  private async build(
    source: ModelSource,
    model: Transformer,
    tokenizer: PreTrainedTokenizer,
    ctx: CallContext,
  ) {
    const db = await this.database();
    const modelId = describeSource(source);
    const editable = new EngineEditableModel(modelId, model, codecFromTokenizer(tokenizer));
    const defaults = memoirConfigFor(source, editable.dims);
    const { C, H } = editable.dims;
    const stored = memoirSnapshot(await db.loadMemoir(modelId), { modelId, config: defaults, C, H });
    const config = stored.snapshot?.config ?? defaults;
    const { prompts, stats } = await this.backgroundStats(db, editable, config.layer, ctx);
    const editor = new MemoirEditor(editable, config, stats, prompts, stored.snapshot ?? undefined);
    const createdAt = new Map<string, number>();
    const listed = await db.listEdits(modelId);
    for (const record of listed.records) createdAt.set(record.id, record.createdAt);
    const notInForce = editsNotInForce(listed.records, stored.snapshot);
    this.attached = {
      editor,
      defaultTau: defaults.tau,
      model: editable,
      background: { prompts, stats },
      createdAt,
      notInForce: new Map(notInForce.map((r) => [r.id, r])),
      problems: [...stored.problems, ...listed.problems],
    };
  }

  status(): MemoirStatus {
    const { editor, defaultTau, model, notInForce, problems } = this.require();
    const c = editor.config;
    return {
      modelId: model.id,
      config: {
        layer: c.layer,
        k: c.k,
        H: model.dims.H,
        tau: c.tau,
        pooling: c.pooling,
        normalize: c.normalize,
      },
      defaultTau,
      edits: editor.edits().map((e) => this.summarize(e)),
      notInForce: [...notInForce.values()].map(({ id, prompt, target, createdAt }) => ({
        id,
        prompt,
        target,
        createdAt,
      })),
      problems,
    };
  }

  async edit({ prompt, target, replaces }: ParamsOf<'memoirEdit'>, ctx: CallContext): Promise<EditSummary> {
    const { editor, model, createdAt, notInForce } = this.require();
    if (!prompt.trim())
      throw new EngineError('SHAPE', 'memoir: the edit prompt is empty', 'type the prompt to edit');
    if (!target.trim()) {
      throw new EngineError(
        'SHAPE',
        'memoir: the edit target is empty',
        'type the new answer the model should give',
      );
    }
    const replaced = replaces === undefined ? undefined : notInForce.get(replaces);
    if (replaces !== undefined && !replaced) {
      throw new EngineError(
        'SHAPE',
        `memoir: ${replaces} is not among the stored edits not in force`,
        'reload the edit list',
      );
    }
    // An edit applied again keeps its id, so its records are overwritten, and its place among the edits.
    const id = replaced?.id ?? crypto.randomUUID();
    const total = editor.config.maxSteps;
    const now = Date.now();
    const made = replaced?.createdAt ?? now;
    const stored = await this.storedChange(
      async () => {
        await editor.applyEdit(
          { id, prompt, target: target.startsWith(' ') ? target : ` ${target}` },
          {
            signal: ctx.signal,
            onStep: ({ step, loss, targetProb }) =>
              ctx.progress({
                status: 'progress',
                label: 'edit steps',
                loaded: step,
                total,
                metrics: { loss, targetProb },
              }),
          },
        );
        return editor.edits().find((e) => e.editId === id)!;
      },
      (db, edit) =>
        db.saveMemoirEdit(
          { id, modelId: model.id, method: 'memoir', prompt, target: edit.target, createdAt: made },
          memoirEditRecord(model.id, edit),
          memoirMemoryRecord(editor.snapshot(), now),
        ),
    );
    createdAt.set(id, made);
    notInForce.delete(id);
    return this.summarize(stored);
  }

  /** Every id is checked before any is deleted, so an unknown one changes nothing. An edit not in force
   *  has nothing in the memory to take back: only its records go. */
  async delete({ ids }: ParamsOf<'memoirDelete'>): Promise<ResultOf<'memoirDelete'>> {
    const { editor, notInForce } = this.require();
    const inForce = new Set(editor.edits().map((e) => e.editId));
    const unknown = ids.find((id) => !inForce.has(id) && !notInForce.has(id));
    if (unknown !== undefined) {
      throw new EngineError('SHAPE', `memoir: no stored edit ${unknown}`, 'reload the edit list');
    }
    await this.storedChange(
      async () => ids.filter((id) => inForce.has(id)).forEach((id) => editor.deleteEdit(id)),
      (db) => db.deleteMemoirEdits(ids, memoirMemoryRecord(editor.snapshot())),
    );
    for (const id of ids) notInForce.delete(id);
    return { remaining: editor.size };
  }

  /** Changes the memory, then stores the change. When storing fails, the editor goes back to its state
   *  before the change, bit-exactly (rebuilt from a snapshot), so what the app answers, lists and gets
   *  after a reload always agree; the failure is a STORAGE error. */
  private async storedChange<T>(
    change: () => Promise<T>,
    store: (db: EditscopeDB, changed: T) => Promise<void>,
  ): Promise<T> {
    const attached = this.require();
    const { model, background } = attached;
    const before = attached.editor.snapshot();
    const changed = await change();
    try {
      await store(await this.database(), changed);
    } catch (error) {
      attached.editor = new MemoirEditor(model, before.config, background.stats, background.prompts, before);
      const message = error instanceof Error ? error.message : String(error);
      throw new EngineError(
        'STORAGE',
        `memoir: the change could not be stored (${message}); the memory is as it was before it`,
        'free some storage for this site (or leave private browsing) and try again',
      );
    }
    return changed;
  }

  /** The same memory gated at another τ from now on, and after a reload: τ only acts at inference, so
   *  no edit is retrained; the config is stored with the memory, which keeps it. A τ outside [0, 1] is
   *  refused by withGate's config validation, before anything is stored. */
  async setTau({ tau }: ParamsOf<'memoirSetTau'>): Promise<MemoirStatus> {
    const attached = this.require();
    const regated = attached.editor.withGate(tau);
    await (await this.database()).putMemoirMemory(memoirMemoryRecord(regated.snapshot()));
    attached.editor = regated;
    return this.status();
  }

  /** comparison() and the NEXT_TOKENS most likely tokens after the prompt, base and edited. */
  async compare(params: ParamsOf<'memoirCompare'>): Promise<ResultOf<'memoirCompare'>> {
    const { editor, model } = this.require();
    const { overlaps: _overlaps, ...comparison } = await this.comparison(params);
    const { base, edited } = await editor.nextLogits(params.prompt);
    const top = (logits: Float32Array) =>
      topTokens(logits, NEXT_TOKENS).map(({ id, p }) => ({ token: model.decode(Int32Array.of(id)), p }));
    return { ...comparison, next: { base: top(base), edited: top(edited) } };
  }

  /** Base and edited completions, the routing decision, and the prompt's overlap with every edit. */
  private async comparison({ prompt, maxTokens }: ParamsOf<'memoirCompare'>) {
    const { editor, model } = this.require();
    const base = model.decode(await model.greedy(model.encode(prompt), maxTokens, null));
    const edited = model.decode(await editor.greedy(prompt, maxTokens));
    const probe = await editor.probe(prompt);
    const best = probe.best && editor.edits().find((e) => e.editId === probe.best!.editId)!;
    const routing: RoutingSummary = {
      tau: editor.config.tau,
      best: best
        ? { id: best.editId, prompt: best.prompt, target: best.target, overlap: probe.best!.overlap }
        : null,
      applied: probe.routed !== null,
    };
    return { base, edited, routing, overlaps: probe.overlaps };
  }

  async scope(
    { editId, prompts, maxTokens }: ParamsOf<'memoirScope'>,
    ctx: CallContext,
  ): Promise<ResultOf<'memoirScope'>> {
    const { editor } = this.require();
    if (!editor.edits().some((e) => e.editId === editId)) {
      throw new EngineError('SHAPE', `memoir: no stored edit ${editId}`, 'pick one of the stored edits');
    }
    const probes: ScopeProbe[] = [];
    ctx.progress({ status: 'initiate', label: 'scope probes', loaded: 0, total: prompts.length });
    for (const prompt of prompts) {
      throwIfAborted(ctx.signal, 'memoir: scope probes');
      const { overlaps, ...comparison } = await this.comparison({ prompt, maxTokens });
      probes.push({ prompt, overlap: overlaps.get(editId)!, ...comparison });
      ctx.progress({
        status: 'progress',
        label: 'scope probes',
        loaded: probes.length,
        total: prompts.length,
      });
    }
    return { tau: editor.config.tau, probes };
  }

  /** The first T records of the bundled facts benchmark edited one after another into a scratch editor
   *  (this model, config and background; empty memory, never stored), then Rel/Gen/Loc measured on
   *  `measure` of them as the eval CLI does, and again with the gate at each τ of TAU_SWEEP (progress
   *  'sweep', one unit per τ). The user's stored edits are neither used nor touched. */
  async benchmark(params: ParamsOf<'memoirBenchmark'>, ctx: CallContext): Promise<BenchmarkResult> {
    const { editor, model, background } = this.require();
    const scratch = new MemoirEditor(model, editor.config, background.stats, background.prompts);
    return runBenchmark(
      { method: 'memoir', editor: scratch, modelId: model.id, grid: TAU_SWEEP },
      params,
      ctx,
    );
  }

  private summarize(e: MemoirEdit): EditSummary {
    const createdAt = this.attached?.createdAt.get(e.editId) ?? 0;
    return { id: e.editId, prompt: e.prompt, target: e.target, steps: e.steps, finalLoss: e.loss, createdAt };
  }

  private require(): Attached {
    if (this.attachError) throw this.attachError;
    if (!this.attached)
      throw new EngineError('LOAD', 'memoir: no model is loaded', 'load a model in the Models view first');
    return this.attached;
  }

  /** Cached per (model, layer); computed from the background prompts the first time, with progress. */
  private async backgroundStats(
    db: EditscopeDB,
    model: EngineEditableModel,
    layer: number,
    ctx: CallContext,
  ) {
    const prompts = await fetchBackgroundPrompts();
    const cached = await db.getBackgroundStats(model.id, layer);
    if (cached.records[0]) return { prompts, stats: backgroundStatsFrom(cached.records[0]) };
    ctx.progress({ status: 'initiate', label: 'MEMOIR background statistics', loaded: 0, total: 1 });
    const stats: BackgroundStats = await computeBackgroundStats(model, layer, prompts, ctx.signal);
    await db.putBackgroundStats(backgroundStatsRecord(stats));
    ctx.progress({ status: 'done', label: 'MEMOIR background statistics', loaded: 1, total: 1 });
    return { prompts, stats };
  }
}

/** Hub models get the paper's values scaled to their FFN. The bundled facts model gets the DESIGN §9
 *  variant (last token, z-score, layer 2, k 256, τ 0.53), chosen by the measurements quoted at
 *  defaultMemoirConfig: mean pooling cannot tell a rephrase of an edit from another fact on a model this
 *  small, and τ is where Loc reaches .99 on the benchmark's dev split. A stored memory keeps the config
 *  it was made with. What it reaches at T=100: bench/results/memoir-eval-lastzscore-T100.json and the
 *  model card. */
function memoirConfigFor(source: ModelSource, dims: { layers: number; H: number }): MemoirConfig {
  return defaultMemoirConfig(dims, source.kind === 'local' ? 'last-zscore' : 'paper');
}

async function fetchBackgroundPrompts(): Promise<string[]> {
  const prompts = await fetchAppJson(BACKGROUND_URL);
  if (!Array.isArray(prompts) || prompts.some((p) => typeof p !== 'string')) {
    throw new EngineError('LOAD', `memoir: ${BACKGROUND_URL} is not a list of strings`);
  }
  return prompts as string[];
}
