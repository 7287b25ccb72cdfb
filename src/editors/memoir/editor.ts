// MemoirEditor: sequential MEMOIR edits on one model — TopHash masks, training into the residual memory,
// routing with the τ gate at inference, exact deletion, and a plain-data snapshot for src/store.
// Implements the evaluation's EditMethod, gated by τ (Gated). Not thread-safe: one call at a time (the worker serialises).

import { EngineError } from '../../engine/errors';
import { BoundedCache } from '../../lib/bounded-cache';
import type { Gated } from '../../eval/gate-sweep';
import type { EditOutcome, EditProgress, EditRequest, TeacherForced } from '../../eval/method';
import { teacherForcedFromLogits } from '../../eval/teacher-forced';
import type { MemoirConfig } from './config';
import { validateMemoirConfig } from './config';
import type { Delta } from './delta';
import { ResidualMemory } from './memory';
import type { EditableModel, MemoryHook } from './model';
import { MaskRouter, type Route } from './router';
import { makePermutation, topHashMask, type BackgroundStats } from './tophash';
import { editBatch, editSequence, trainEdit } from './trainer';

/** One stored edit as the editor and the store see it. */
export interface MemoirEdit {
  readonly editId: string;
  readonly slot: number;
  readonly prompt: string;
  readonly target: string;
  /** (k) sorted mask columns. */
  readonly cols: Int32Array;
  /** (C, k) the exact change this edit made to Wm[:, cols], f16 or f32 (delta.ts). */
  readonly delta: Delta;
  readonly steps: number;
  readonly loss: number;
}

/** Everything needed to rebuild an editor bit-exactly (background stats are stored separately). */
export interface MemoirSnapshot {
  readonly modelId: string;
  readonly config: MemoirConfig;
  readonly C: number;
  readonly H: number;
  /** Wm (C, H). */
  readonly wm: Float32Array;
  readonly edits: readonly MemoirEdit[];
}

/** A prompt's overlap with every stored edit, by edit id (diagnostics: the overlap distributions). */
export interface Probe {
  readonly routed: string | null;
  readonly best: { readonly editId: string; readonly overlap: number } | null;
  readonly overlaps: ReadonlyMap<string, number>;
}

/** Where a prompt goes: the routed edit (null = memory off) and the best overlap seen. */
export interface Routing {
  readonly edit: MemoirEdit | null;
  readonly best: Route | null;
  readonly mask: Int32Array;
}

/** Query masks kept per editor: an eval's prompts (~12 per measured record) at k int32 each. */
const MAX_CACHED_MASKS = 4096;

export class MemoirEditor implements Gated<MemoirEditor> {
  readonly name = 'memoir';
  readonly config: MemoirConfig;
  private readonly memory: ResidualMemory;
  private readonly router: MaskRouter;
  private readonly perm: Int32Array;
  private readonly bySlot = new Map<number, MemoirEdit>();
  private readonly byId = new Map<string, MemoirEdit>();
  /** Query masks by prompt (mask()). */
  private masks = new BoundedCache<string, Int32Array>(MAX_CACHED_MASKS);

  /** `background`: the unrelated prompts `stats` came from; they also supply the training prefixes. */
  constructor(
    private readonly model: EditableModel,
    config: MemoirConfig,
    private readonly stats: BackgroundStats,
    private readonly background: readonly string[],
    snapshot?: MemoirSnapshot,
  ) {
    const { C, H, layers } = model.dims;
    validateMemoirConfig(config, { layers, H });
    if (stats.modelId !== model.id || stats.layer !== config.layer || stats.H !== H) {
      throw new EngineError(
        'LOAD',
        `memoir: background stats are for ${stats.modelId} layer ${stats.layer} (H=${stats.H}), ` +
          `need ${model.id} layer ${config.layer} (H=${H})`,
        'recompute them with computeBackgroundStats',
      );
    }
    if (snapshot && (snapshot.modelId !== model.id || snapshot.C !== C || snapshot.H !== H)) {
      throw new EngineError(
        'LOAD',
        `memoir: saved memory is for ${snapshot.modelId} (C=${snapshot.C}, H=${snapshot.H}), not ${model.id} (C=${C}, H=${H})`,
      );
    }
    if (snapshot && JSON.stringify(snapshot.config) !== JSON.stringify(config)) {
      // Masks and deltas are only meaningful under the layer, k, variant and seed they were made with.
      throw new EngineError(
        'LOAD',
        'memoir: saved memory was made with another config',
        'open it with snapshot.config',
      );
    }
    this.config = config;
    this.perm = makePermutation(H, config.seed);
    this.memory = new ResidualMemory(C, H, snapshot ? snapshot.wm.slice() : undefined);
    this.router = new MaskRouter(H, config.k);
    for (const e of snapshot?.edits ?? []) {
      this.router.add(e.cols, e.slot);
      this.memory.restore(e.slot, { cols: e.cols, delta: e.delta });
      this.remember(e);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** FFN width of the edited layer. */
  get H(): number {
    return this.memory.H;
  }

  edits(): MemoirEdit[] {
    return this.router.slots().map((s) => this.bySlot.get(s)!);
  }

  /** TopHash mask of a prompt (the query mask, computed once per prompt and kept: it depends on the
   *  model's activations below the memory, never on the memory, so edits do not change it). */
  async mask(prompt: string): Promise<Int32Array> {
    return this.masks.getOrCompute(prompt, async () => {
      const ids = this.model.encode(prompt);
      const a = await this.model.downProjInput(ids, this.config.layer);
      return topHashMask(a, ids.length, this.stats, this.config, this.perm);
    });
  }

  async route(prompt: string): Promise<Routing> {
    const mask = await this.mask(prompt);
    // The top-1 stored mask; the memory opens when its overlap is at least τ.
    const best = this.router.best(mask);
    const routed = best && best.overlap >= this.config.tau ? this.bySlot.get(best.slot)! : null;
    return { edit: routed, best, mask };
  }

  /** τ. */
  get gate(): number {
    return this.config.tau;
  }

  /** The id of the edit a prompt's memory hook uses, or null when the memory adds nothing. */
  async routeOf(prompt: string): Promise<string | null> {
    return (await this.route(prompt)).edit?.editId ?? null;
  }

  /** The same trained memory (masks and deltas) gated at another τ: τ only acts at inference. */
  withGate(tau: number): MemoirEditor {
    const config = { ...this.config, tau };
    const regated = new MemoirEditor(this.model, config, this.stats, this.background, {
      ...this.snapshot(),
      config,
    });
    regated.masks = this.masks; // τ does not enter a mask
    return regated;
  }

  async probe(prompt: string): Promise<Probe> {
    const { edit, best, mask } = await this.route(prompt);
    const overlaps = new Map<string, number>();
    for (const [slot, o] of this.router.overlaps(mask)) overlaps.set(this.bySlot.get(slot)!.editId, o);
    return {
      routed: edit?.editId ?? null,
      best: best && { editId: this.bySlot.get(best.slot)!.editId, overlap: best.overlap },
      overlaps,
    };
  }

  async applyEdit(
    edit: EditRequest,
    opts: { signal?: AbortSignal; onStep?: (p: EditProgress) => void } = {},
  ): Promise<EditOutcome> {
    if (this.byId.has(edit.id)) {
      throw new EngineError(
        'SHAPE',
        `memoir: an edit with id "${edit.id}" already exists`,
        'delete it first',
      );
    }
    const started = performance.now();
    const cols = await this.mask(edit.prompt);
    const slot = this.router.nextSlot;
    const batch = editBatch(
      this.model,
      edit.prompt,
      edit.target,
      this.background,
      this.config,
      this.config.seed + slot,
    );
    const { delta, result } = await trainEdit(this.model, this.memory, this.config, cols, batch, opts);
    this.memory.restore(slot, { cols, delta });
    this.router.add(cols, slot);
    const stored: MemoirEdit = {
      editId: edit.id,
      slot,
      prompt: edit.prompt,
      target: edit.target,
      cols,
      delta,
      steps: result.updates,
      loss: result.loss,
    };
    this.remember(stored);
    return {
      id: edit.id,
      steps: result.updates,
      finalLoss: result.loss,
      millis: performance.now() - started,
    };
  }

  /** Remove an edit's delta and mask; its prompts route elsewhere or nowhere afterwards. */
  deleteEdit(editId: string): void {
    const e = this.byId.get(editId);
    if (!e) throw new EngineError('SHAPE', `memoir: no edit with id "${editId}"`);
    this.memory.remove(e.slot);
    this.router.remove(e.slot);
    this.bySlot.delete(e.slot);
    this.byId.delete(editId);
  }

  async teacherForced(prompt: string, target: string): Promise<TeacherForced> {
    const seq = editSequence(this.model, prompt, target);
    const logits = await this.model.logits(seq.ids, await this.hookFor(prompt));
    return teacherForcedFromLogits(logits, this.model.dims.V, seq);
  }

  async greedy(prompt: string, maxNew: number): Promise<Int32Array> {
    return this.model.greedy(this.model.encode(prompt), maxNew, await this.hookFor(prompt));
  }

  /** The logits (V) of the token after `prompt`, of the base model and as MEMOIR answers it (the memory
   *  gated as in greedy); one forward, and the same array, when the memory stays off. */
  async nextLogits(prompt: string): Promise<{ base: Float32Array; edited: Float32Array }> {
    const ids = this.model.encode(prompt);
    const last = (logits: Float32Array) => logits.slice(logits.length - this.model.dims.V);
    const base = last(await this.model.logits(ids, null));
    const hook = await this.hookFor(prompt);
    return { base, edited: hook ? last(await this.model.logits(ids, hook)) : base };
  }

  snapshot(): MemoirSnapshot {
    const { C, H } = this.memory;
    return {
      modelId: this.model.id,
      config: this.config,
      C,
      H,
      wm: this.memory.wm.slice(),
      edits: this.edits(),
    };
  }

  /** The memory hook for a prompt's routed edit, or null (base model, bit-identical). */
  private async hookFor(prompt: string): Promise<MemoryHook | null> {
    const { edit } = await this.route(prompt);
    return edit ? this.memory.hook(this.config.layer, edit.cols) : null;
  }

  private remember(e: MemoirEdit): void {
    this.bySlot.set(e.slot, e);
    this.byId.set(e.editId, e);
  }
}
