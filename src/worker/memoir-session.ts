// The engine worker's MEMOIR editor for the loaded model: restores the memory from IndexedDB on model
// load (background statistics shipped with the bundled model, else computed once per model; cached),
// trains edits with step progress and cancellation, deletes them exactly, persists every change through
// the tab's MemoirWriter (store/memoir-writer.ts: under a cross-tab lock, applied to the store's current
// state, announced), keeps the stored edits whose trained change was lost (to apply again or remove),
// compares base vs edited completions, exports the edits with the memory as a backup file and imports
// one into an empty edit list, and runs the bundled facts benchmark on a scratch memory (also
// re-measured along a sweep of τ). A new memory's config comes from the preset chosen for the model:
// its calibration (made here on the first edit or on demand, or shipped with the bundled model) or the
// paper's values.
// Wires protocol calls to src/editors/memoir and src/store; no training or routing logic lives here.
import { calibrateMemoir } from '../editors/memoir/calibrate';
import type { MemoirCalibration } from '../editors/memoir/calibration';
import { defaultMemoirConfig, type MemoirConfig } from '../editors/memoir/config';
import { MemoirEditor, type MemoirEdit } from '../editors/memoir/editor';
import { EngineEditableModel } from '../editors/memoir/engine-adapter';
import { codecFromTokenizer } from '../models/codec';
import { computeBackgroundStats, type BackgroundStats } from '../editors/memoir/tophash';
import { EngineError, throwIfAborted } from '../engine/errors';
import type { WeightPrecision } from '../engine/quantize';
import { CALIBRATION_SET_URL, parseCalibrationSet } from '../eval/calibration-set';
import { topTokens } from '../engine/model/generate';
import type { Transformer } from '../engine/model/transformer';
import { describeSource, type ModelSource } from '../models/hub';
import type { PreTrainedTokenizer } from '../models/tokenizer';
import { editTextProblem } from '../lib/edit-text';
import { BackupError, decodeBackup, encodeBackup, type MemoirBackup } from '../store/backup';
import {
  readMemoirCalibration,
  readMemoirPreset,
  writeMemoirCalibration,
  writeMemoirPreset,
  type MemoirPresetChoice,
} from '../store/calibration';
import type { EditscopeDB } from '../store/db';
import { backgroundStatsFrom, backgroundStatsRecord } from '../store/memoir';
import { MemoirWriter, type Background } from '../store/memoir-writer';
import { storeChannel, tabLocks, type StoreChannel } from '../store/tabs';
import {
  CALIBRATION_STAGES,
  type BenchmarkResult,
  type EditSummary,
  type MemoirCalibrationStatus,
  type MemoirStatus,
  type ParamsOf,
  type ResultOf,
  type RoutingSummary,
  type ScopeProbe,
} from './protocol';
import { fetchAppJson } from '../lib/app-json';
import { lessonEditId, runBenchmark } from './benchmark';
import { loadShippedBackground } from './shipped-background';
import { loadShippedCalibration } from './shipped-calibration';
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
  /** Reads and changes the model's stored memory; holds the editor. */
  writer: MemoirWriter;
  model: EngineEditableModel;
  source: ModelSource;
  precision: WeightPrecision;
  db: EditscopeDB;
  /** Which config a new memory takes (newMemoryConfig), and the calibration it may take it from. */
  preset: MemoirPresetChoice;
  calibration: MemoirCalibration | null;
  from: MemoirCalibrationStatus['from'];
  /** Stored calibration settings that could not be used. */
  problems: readonly string[];
}

export class MemoirSession {
  private attached: Attached | null = null;
  /** Why the editor is not available for the loaded model (storage refused, cancelled, …). */
  private attachError: EngineError | null = null;
  /** One lock manager and one channel for every writer of this worker. */
  private readonly serialise = tabLocks();
  private readonly channel: StoreChannel = storeChannel();

  constructor(private readonly database: Database) {}

  /** Builds the editor for a freshly loaded model, restoring its stored memory. Never throws: a failure
   *  leaves the base model usable and is reported by every MEMOIR call. */
  async attach(
    source: ModelSource,
    model: Transformer,
    tokenizer: PreTrainedTokenizer,
    precision: WeightPrecision,
    ctx: CallContext,
  ) {
    this.attached?.writer.close();
    this.attached = null;
    this.attachError = null;
    try {
      await this.build(source, model, tokenizer, precision, ctx);
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
    precision: WeightPrecision,
    ctx: CallContext,
  ) {
    const db = await this.database();
    const modelId = describeSource(source);
    const editable = new EngineEditableModel(modelId, model, codecFromTokenizer(tokenizer));
    const { C, H, layers } = editable.dims;
    const chosen = await readMemoirPreset(db, modelId);
    const stored = await readMemoirCalibration(db, modelId, precision, editable.dims);
    const shipped = stored.calibration
      ? null
      : await loadShippedCalibration(source, precision, editable.dims);
    const calibration = stored.calibration ?? shipped;
    const choice = { preset: chosen.preset, calibration, source, model: editable };
    const config = newMemoryConfig(choice);
    // A stored memory (or a restored backup) may use another layer than the default: each layer's
    // statistics are loaded once, with the progress of the call that first needs them.
    const byLayer = new Map<number, Promise<Background>>();
    const background = (layer: number) => {
      const known = byLayer.get(layer) ?? this.backgroundStats(db, source, editable, layer, ctx);
      byLayer.set(layer, known);
      known.catch(() => byLayer.delete(layer));
      return known;
    };
    const writer = await MemoirWriter.open({
      db,
      model: editable,
      defaults: { modelId, config, layers, C, H },
      background,
      serialise: this.serialise,
      channel: this.channel,
    });
    this.attached = {
      ...choice,
      writer,
      precision,
      db,
      from: stored.calibration ? 'stored' : shipped ? 'shipped' : null,
      problems: [...chosen.problems, ...stored.problems],
    };
  }

  /** The model's calibration, where it comes from, and the preset a new memory takes. */
  calibrationStatus(): MemoirCalibrationStatus {
    const a = this.require();
    const { calibration, preset, from, model, precision } = a;
    const first = calibratesFirst(a);
    return {
      modelId: model.id,
      precision,
      calibration,
      from,
      preset,
      calibratesFirst: first,
      newMemory: first ? null : configSummary(newMemoryConfig(a), model.dims.H),
      problems: [...a.problems],
    };
  }

  /** Calibrates the loaded model now (again), stores the result, and lets an empty memory take it. */
  async calibrate(ctx: CallContext): Promise<MemoirCalibrationStatus> {
    await this.runCalibration(this.require(), ctx);
    return this.calibrationStatus();
  }

  /** Stores the preset choice; an empty memory takes the preset's config at once. */
  async setPreset({ preset }: ParamsOf<'memoirSetPreset'>): Promise<MemoirCalibrationStatus> {
    const a = this.require();
    await writeMemoirPreset(a.db, a.model.id, preset);
    a.preset = preset;
    await a.writer.startWith(newMemoryConfig(a));
    return this.calibrationStatus();
  }

  /** calibrateMemoir on the shipped calibration set, with progress per stage; stored only when it ran to
   *  the end (a cancel throws before anything is stored). */
  private async runCalibration(a: Attached, ctx: CallContext): Promise<void> {
    const set = parseCalibrationSet(await fetchAppJson(CALIBRATION_SET_URL));
    const prompts = await fetchBackgroundPrompts();
    for (const label of Object.values(CALIBRATION_STAGES))
      ctx.progress({ status: 'initiate', label, loaded: 0, total: 1 });
    const calibration = await calibrateMemoir(a.model, set, prompts, {
      precision: a.precision,
      // Where the set cannot tell candidates apart, the preset measured for this model stays (the bundled
      // one's at any precision), not the paper's.
      fallback: memoirConfigFor(a.source, a.model.dims),
      signal: ctx.signal,
      onProgress: ({ stage, done, total }) =>
        ctx.progress({
          status: done === total ? 'done' : 'progress',
          label: CALIBRATION_STAGES[stage],
          loaded: done,
          total,
        }),
    });
    throwIfAborted(ctx.signal, 'memoir: calibration');
    await writeMemoirCalibration(a.db, calibration);
    a.calibration = calibration;
    a.from = 'stored';
    a.problems = [];
    if (this.attached === a) await a.writer.startWith(newMemoryConfig(a));
  }

  /** Before an edit: a memory with no edit stored (a new one, or after Delete all) starts with the
   *  preset's config, calibrating the model first when the calibrated preset has no calibration yet. A
   *  memory with edits keeps the config they were trained with. */
  private async prepareNewMemory(a: Attached, ctx: CallContext): Promise<void> {
    const empty = async () => {
      const { editor, notInForce } = await a.writer.fresh();
      return editor.size + notInForce.size === 0 ? editor.config : null;
    };
    if (!(await empty())) return;
    if (calibratesFirst(a)) await this.runCalibration(a, ctx);
    const held = await empty();
    const want = newMemoryConfig(a);
    if (held && !sameTraining(held, want)) await a.writer.startWith(want);
  }

  /** The stored state as it is now: read again, since another tab may have changed it. */
  async status(): Promise<MemoirStatus> {
    const a = this.require();
    const { writer, model } = a;
    const { editor, notInForce, problems, createdAt } = await writer.fresh(true);
    return {
      modelId: model.id,
      config: configSummary(editor.config, model.dims.H),
      defaultTau: newMemoryConfig(a).tau,
      edits: editor.edits().map((e) => summarize(e, createdAt.get(e.editId) ?? 0)),
      notInForce: [...notInForce.values()].map(({ id, prompt, target, createdAt }) => ({
        id,
        prompt,
        target,
        createdAt,
      })),
      problems: [...problems],
    };
  }

  /** Trains an edit into the store's current memory (waiting for any other change of this model, in
   *  any tab, to finish first) and stores it. */
  async edit({ prompt, target, replaces }: ParamsOf<'memoirEdit'>, ctx: CallContext): Promise<EditSummary> {
    const attached = this.require();
    const { writer } = attached;
    // The Edit view checks the same; a call from elsewhere (or an old tab) is refused before training.
    for (const [what, text] of [
      ['prompt', prompt],
      ['new answer', target],
    ] as const) {
      const problem = editTextProblem(what, text);
      if (problem) throw new EngineError('SHAPE', `memoir: ${problem}`, `type a shorter, non-empty ${what}`);
    }
    await this.prepareNewMemory(attached, ctx);
    const total = writer.state.editor.config.maxSteps;
    const { edit, createdAt } = await writer.edit(
      { prompt, target, replaces },
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
    return summarize(edit, createdAt);
  }

  /** Deletes stored edits, in force or not, from the store's current state; an id the store no longer
   *  holds was deleted by another tab. */
  async delete({ ids }: ParamsOf<'memoirDelete'>): Promise<ResultOf<'memoirDelete'>> {
    return { remaining: await this.require().writer.delete(ids) };
  }

  /** The memory as it is now (every edit in force, Wm, config and τ) as a backup file. */
  async exportBackup(): Promise<ResultOf<'memoirExport'>> {
    const { writer, model } = this.require();
    const { editor, createdAt } = await writer.fresh(true);
    const text = await encodeBackup({ snapshot: editor.snapshot(), createdAt });
    const name = model.id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
    return { fileName: `editscope-${name}-${new Date().toISOString().slice(0, 10)}.json`, text };
  }

  /** Restores a backup of this model into an empty edit list (MemoirWriter.restore: refused while any
   *  edit is stored, in force or not, so nothing the person has is replaced; one transaction per edit,
   *  so a failure part way leaves a store that loads as it is, and the error says how many were
   *  restored). */
  async importBackup({ text }: ParamsOf<'memoirImport'>): Promise<MemoirStatus> {
    const { writer, model } = this.require();
    let backup: MemoirBackup;
    try {
      backup = await decodeBackup(text, { modelId: model.id, ...model.dims });
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      throw new EngineError('LOAD', `memoir: this backup cannot be restored: ${error.message}`);
    }
    await writer.restore(backup.snapshot, backup.createdAt);
    return this.status();
  }

  /** The same memory gated at another τ from now on, and after a reload: τ only acts at inference, so
   *  no edit is retrained; the config is stored with the memory, which keeps it. A τ outside [0, 1] is
   *  refused by withGate's config validation, before anything is stored. */
  async setTau({ tau }: ParamsOf<'memoirSetTau'>): Promise<MemoirStatus> {
    await this.require().writer.setTau(tau);
    return this.status();
  }

  /** The stored edits' masks (copies: the editor keeps its own), H, k and τ; read-only. */
  async masks(): Promise<ResultOf<'memoirMasks'>> {
    const { writer, model } = this.require();
    const { editor } = await writer.fresh();
    const edits = editor.edits().map((e) => ({
      id: e.editId,
      prompt: e.prompt,
      target: e.target,
      cols: e.cols.slice(),
    }));
    return { H: model.dims.H, k: editor.config.k, tau: editor.config.tau, edits };
  }

  /** The mask a new edit of `prompt` would train, and its overlaps with the stored edits: computed as
   *  routing computes them (the editor's probe), nothing trained or stored. */
  async previewMask({ prompt }: ParamsOf<'memoirPreviewMask'>): Promise<ResultOf<'memoirPreviewMask'>> {
    const problem = editTextProblem('prompt', prompt);
    if (problem) throw new EngineError('SHAPE', `memoir: ${problem}`, 'type a shorter, non-empty prompt');
    const { editor } = await this.require().writer.fresh();
    const { overlaps } = await editor.probe(prompt);
    const cols = (await editor.mask(prompt)).slice();
    return {
      cols,
      overlaps: editor.edits().map((e) => ({ id: e.editId, overlap: overlaps.get(e.editId)! })),
    };
  }

  /** comparison() and the NEXT_TOKENS most likely tokens after the prompt, base and edited. */
  async compare(params: ParamsOf<'memoirCompare'>): Promise<ResultOf<'memoirCompare'>> {
    const { writer, model } = this.require();
    const { editor } = await writer.fresh();
    const { overlaps: _overlaps, ...comparison } = await this.comparison(params);
    const { base, edited } = await editor.nextLogits(params.prompt);
    const top = (logits: Float32Array) =>
      topTokens(logits, NEXT_TOKENS).map(({ id, p }) => ({ token: model.decode(Int32Array.of(id)), p }));
    return { ...comparison, next: { base: top(base), edited: top(edited) } };
  }

  /** Base and edited completions, the routing decision, and the prompt's overlap with every edit of
   *  `editor` (the stored memory unless another is given). */
  private async comparison({ prompt, maxTokens }: ParamsOf<'memoirCompare'>, given?: MemoirEditor) {
    const { writer, model } = this.require();
    const editor = given ?? (await writer.fresh()).editor;
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
    const { editor } = await this.require().writer.fresh();
    if (!editor.edits().some((e) => e.editId === editId)) {
      throw new EngineError('SHAPE', `memoir: no stored edit ${editId}`, 'pick one of the stored edits');
    }
    return {
      tau: editor.config.tau,
      probes: await this.scopeProbes(editor, editId, prompts, maxTokens, ctx),
    };
  }

  /** comparison() of each prompt in `editor`, with its overlap with edit `editId`; progress per prompt,
   *  cancellable between prompts. */
  private async scopeProbes(
    editor: MemoirEditor,
    editId: string,
    prompts: readonly string[],
    maxTokens: number,
    ctx: CallContext,
  ): Promise<ScopeProbe[]> {
    const probes: ScopeProbe[] = [];
    ctx.progress({ status: 'initiate', label: 'scope probes', loaded: 0, total: prompts.length });
    for (const prompt of prompts) {
      throwIfAborted(ctx.signal, 'memoir: scope probes');
      const { overlaps, ...comparison } = await this.comparison({ prompt, maxTokens }, editor);
      probes.push({ prompt, overlap: overlaps.get(editId)!, ...comparison });
      ctx.progress({
        status: 'progress',
        label: 'scope probes',
        loaded: probes.length,
        total: prompts.length,
      });
    }
    return probes;
  }

  /** A lesson's edits trained one after another into a scratch editor (as benchmark(): this model,
   *  config and background; an empty memory, never stored), then scope() of its prompts in that editor
   *  against its first edit. The user's stored edits are neither used nor touched. */
  async lesson(
    { edits, prompts, maxTokens }: ParamsOf<'memoirLesson'>,
    ctx: CallContext,
  ): Promise<ResultOf<'memoirLesson'>> {
    if (edits.length === 0) throw new EngineError('SHAPE', 'memoir: a lesson has no edits', 'give it one');
    const { writer, model } = this.require();
    const { editor, background } = await writer.fresh();
    const scratch = new MemoirEditor(model, editor.config, background.stats, background.prompts);
    const steps = scratch.config.maxSteps;
    const trained: EditSummary[] = [];
    for (const [i, { prompt, target }] of edits.entries()) {
      const outcome = await scratch.applyEdit(
        { id: lessonEditId(i), prompt, target },
        {
          signal: ctx.signal,
          onStep: ({ step, loss, targetProb }) =>
            ctx.progress({
              status: 'progress',
              label: 'lesson edits',
              loaded: i * steps + step,
              total: edits.length * steps,
              metrics: { loss, targetProb },
            }),
        },
      );
      trained.push({ ...outcome, prompt, target, createdAt: i });
    }
    const probes = await this.scopeProbes(scratch, lessonEditId(0), prompts, maxTokens, ctx);
    return { tau: scratch.config.tau, edits: trained, probes };
  }

  /** The first T records of the bundled facts benchmark edited one after another into a scratch editor
   *  (this model, config and background; empty memory, never stored), then Rel/Gen/Loc measured on
   *  `measure` of them as the eval CLI does, and again with the gate at each τ of TAU_SWEEP (progress
   *  'sweep', one unit per τ). The user's stored edits are neither used nor touched. */
  async benchmark(params: ParamsOf<'memoirBenchmark'>, ctx: CallContext): Promise<BenchmarkResult> {
    const { writer, model } = this.require();
    const { editor, background } = await writer.fresh();
    const scratch = new MemoirEditor(model, editor.config, background.stats, background.prompts);
    return runBenchmark(
      { method: 'memoir', editor: scratch, modelId: model.id, grid: TAU_SWEEP },
      params,
      ctx,
    );
  }

  private require(): Attached {
    if (this.attachError) throw this.attachError;
    if (!this.attached)
      throw new EngineError('LOAD', 'memoir: no model is loaded', 'load a model in the Models view first');
    return this.attached;
  }

  /** Cached per (model, layer); the first time taken from the bundled model's shipped file when it
   *  matches (shipped-background.ts), else computed from the background prompts with progress; again
   *  when the cached ones are unreadable or were made for other dims or prompts. */
  private async backgroundStats(
    db: EditscopeDB,
    source: ModelSource,
    model: EngineEditableModel,
    layer: number,
    ctx: CallContext,
  ): Promise<Background> {
    const prompts = await fetchBackgroundPrompts();
    const cached = await db.getBackgroundStats(model.id, layer);
    const hit = cached.records[0];
    const label = 'MEMOIR background statistics';
    if (hit && hit.H === model.dims.H && hit.prompts === prompts.length) {
      ctx.progress({ status: 'done', label, loaded: 1, total: 1, from: 'cache' });
      return { prompts, stats: backgroundStatsFrom(hit), problems: cached.problems };
    }
    const shipped = await loadShippedBackground(source, layer, model.dims.H, prompts);
    if (!shipped) ctx.progress({ status: 'initiate', label, loaded: 0, total: 1 });
    const stats: BackgroundStats =
      shipped ?? (await computeBackgroundStats(model, layer, prompts, ctx.signal));
    await db.putBackgroundStats(backgroundStatsRecord(stats));
    ctx.progress({ status: 'done', label, loaded: 1, total: 1, ...(shipped && { from: 'shipped' }) });
    return { prompts, stats, problems: cached.problems };
  }
}

/** The config a new memory of the model starts with: the paper's values scaled to the model under the
 *  paper preset; the model's calibration under the calibrated one, and until it is calibrated (before
 *  its first edit) memoirConfigFor's. */
function newMemoryConfig(a: Pick<Attached, 'preset' | 'calibration' | 'source' | 'model'>): MemoirConfig {
  if (a.preset === 'paper') return defaultMemoirConfig(a.model.dims, 'paper');
  return a.calibration?.chosen ?? memoirConfigFor(a.source, a.model.dims);
}

/** Whether the next new memory waits for a calibration: under the calibrated preset, of a hub model
 *  never calibrated. A bundled model without one (its shipped calibration absent or made for another
 *  precision) keeps memoirConfigFor's preset, measured for it, until it is calibrated on demand: its
 *  edits behave as they always have. */
function calibratesFirst(a: Pick<Attached, 'preset' | 'calibration' | 'source'>): boolean {
  return a.preset === 'calibrated' && !a.calibration && a.source.kind !== 'local';
}

/** Whether two configs differ in nothing but τ (the one field a memory's edits do not depend on). */
function sameTraining(a: MemoirConfig, b: MemoirConfig): boolean {
  const keys = Object.keys(a) as (keyof MemoirConfig)[];
  return keys.every((key) => key === 'tau' || JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

function configSummary(c: MemoirConfig, H: number): MemoirStatus['config'] {
  return { layer: c.layer, k: c.k, H, tau: c.tau, pooling: c.pooling, normalize: c.normalize };
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

function summarize(e: MemoirEdit, createdAt: number): EditSummary {
  return { id: e.editId, prompt: e.prompt, target: e.target, steps: e.steps, finalLoss: e.loss, createdAt };
}
