// One tab's writer of one model's MEMOIR memory (DESIGN §10 "one writer"). Every change runs under the
// model's lock (tabs.ts), reads the store's current state inside it and applies itself to that, never to
// a copy another tab may have outdated; stores it in one transaction; and announces it, so the other tabs
// read the store again. What it holds between changes is the store as last read (memoirSnapshot: each
// record validated alone, the memory checked against its edits). Not the protocol wiring
// (worker/memoir-session.ts) nor training and routing (editors/memoir).

import { MemoirEditor, type MemoirEdit, type MemoirSnapshot } from '../editors/memoir/editor';
import { sumOfDeltas } from '../editors/memoir/memory';
import type { MemoirConfig } from '../editors/memoir/config';
import type { EditableModel } from '../editors/memoir/model';
import type { BackgroundStats } from '../editors/memoir/tophash';
import type { EditProgress } from '../eval/method';
import { EngineError } from '../engine/errors';
import type { EditscopeDB } from './db';
import {
  editsNotInForce,
  memoirEditRecord,
  memoirMemoryRecord,
  memoirSnapshot,
  type MemoirDefaults,
} from './memoir';
import type { EditRecord } from './schema';
import { memoirLockName, type MemoirChange, type Serialise, type StoreChannel } from './tabs';

/** The unrelated prompts the editor trains prefixes from, their statistics at one layer, and problems
 *  reading their cache. */
export interface Background {
  readonly prompts: readonly string[];
  readonly stats: BackgroundStats;
  readonly problems: readonly string[];
}

export interface WriterDeps {
  readonly db: EditscopeDB;
  readonly model: EditableModel;
  readonly defaults: MemoirDefaults;
  /** The background at a layer (the stored config's layer may differ from the default's). */
  readonly background: (layer: number) => Promise<Background>;
  readonly serialise: Serialise;
  readonly channel: StoreChannel;
}

/** The model's MEMOIR state as read from the store. */
export interface MemoirState {
  editor: MemoirEditor;
  readonly background: Background;
  readonly createdAt: Map<string, number>;
  /** Stored edits the editor does not hold (editsNotInForce), by id. */
  readonly notInForce: Map<string, EditRecord>;
  /** One line per record that was set aside, migrated or rebuilt. */
  readonly problems: readonly string[];
}

/** What a change computed, and how to store it (one transaction). */
interface Change<T> {
  result: T;
  write: (db: EditscopeDB) => Promise<void>;
}

export class MemoirWriter {
  /** Names this writer in its announcements, so it does not read its own changes back. */
  readonly id = crypto.randomUUID();
  private held: MemoirState;
  /** Another tab changed this model's memory since it was last read. */
  private stale = false;
  private changing = 0;
  /** Bumped by every change, so a read that began before it does not replace what it left. */
  private generation = 0;
  /** `open` has just read the store and nothing has asked for the state since: the first forced read
   *  (the view's status right after a model loads) can use it instead of reading the store twice,
   *  which at 10,000 stored edits of the bundled model is 1.3 GB (bench/results memoir-scale). */
  private justOpened = true;
  private readonly unlisten: () => void;

  static async open(deps: WriterDeps): Promise<MemoirWriter> {
    return new MemoirWriter(deps, await readState(deps));
  }

  private constructor(
    /** Replaced (never changed in place) when a new memory's config changes (startWith). */
    private deps: WriterDeps,
    state: MemoirState,
  ) {
    this.held = state;
    this.unlisten = deps.channel.listen((m) => {
      if (m.type === 'memoir-changed' && m.modelId === deps.model.id && m.writer !== this.id)
        this.stale = true;
    });
  }

  /** The state held (during a change: the one being changed). */
  get state(): MemoirState {
    return this.held;
  }

  /** The state, read again from the store first when another tab announced a change (or `force`). While
   *  a change of this tab runs, it holds the lock and has read the store inside it: that state is current. */
  async fresh(force = false): Promise<MemoirState> {
    const justOpened = this.justOpened;
    this.justOpened = false;
    if (((force && !justOpened) || this.stale) && this.changing === 0) {
      const generation = this.generation;
      this.stale = false;
      const state = await readState(this.deps);
      if (generation === this.generation && this.changing === 0) this.held = state;
    }
    return this.held;
  }

  /** Trains an edit into the store's current memory and stores it. `replaces`: a stored edit not in force,
   *  trained again under its id and creation time (its records are overwritten). */
  async edit(
    request: { prompt: string; target: string; replaces?: string },
    opts: { signal?: AbortSignal; onStep?: (p: EditProgress) => void } = {},
  ): Promise<{ edit: MemoirEdit; createdAt: number }> {
    const { model } = this.deps;
    return this.change('edit', async (state) => {
      const { prompt, replaces } = request;
      const target = request.target.startsWith(' ') ? request.target : ` ${request.target}`;
      const replaced = replaces === undefined ? undefined : state.notInForce.get(replaces);
      if (replaces !== undefined && !replaced) {
        throw new EngineError(
          'SHAPE',
          `memoir: ${replaces} is not among the stored edits not in force`,
          'reload the edit list',
        );
      }
      const id = replaced?.id ?? crypto.randomUUID();
      const now = Date.now();
      const createdAt = replaced?.createdAt ?? now;
      await state.editor.applyEdit({ id, prompt, target }, opts);
      const edit = state.editor.edits().find((e) => e.editId === id)!;
      state.createdAt.set(id, createdAt);
      state.notInForce.delete(id);
      return {
        result: { edit, createdAt },
        write: (db) =>
          db.saveMemoirEdit(
            { id, modelId: model.id, method: 'memoir', prompt, target, createdAt },
            memoirEditRecord(model.id, edit),
            memoirMemoryRecord(state.editor.snapshot(), now),
          ),
      };
    });
  }

  /** Deletes stored edits, in force or not, each exactly. An id the store no longer holds was deleted
   *  by another tab: there is nothing left to do for it. Resolves with the number of edits in force. */
  async delete(ids: readonly string[]): Promise<number> {
    return this.change('delete', async (state) => {
      const inForce = new Set(state.editor.edits().map((e) => e.editId));
      for (const id of ids) {
        if (inForce.has(id)) state.editor.deleteEdit(id);
        state.notInForce.delete(id);
        state.createdAt.delete(id);
      }
      const memory = memoirMemoryRecord(state.editor.snapshot());
      return { result: state.editor.size, write: (db) => db.deleteMemoirEdits(ids, memory) };
    });
  }

  /** The same memory gated at another τ (withGate refuses one outside [0, 1] before anything is stored). */
  async setTau(tau: number): Promise<void> {
    await this.change('tau', async (state) => {
      state.editor = state.editor.withGate(tau);
      const memory = memoirMemoryRecord(state.editor.snapshot());
      return { result: undefined, write: (db) => db.putMemoirMemory(memory) };
    });
  }

  /** From now on a new memory of the model starts with `config` (the preset chosen for it). An empty
   *  memory (no edit stored, in force or not) takes it at once, so its layer and k apply to the next
   *  edit; a memory with edits keeps the config they were trained with. Resolves with whether the
   *  stored memory took it. */
  async startWith(config: MemoirConfig): Promise<boolean> {
    const { modelId, C, H } = this.deps.defaults;
    this.deps = { ...this.deps, defaults: { ...this.deps.defaults, config } };
    const taken = await this.change('config', async (state) => {
      const empty = state.editor.size + state.notInForce.size === 0;
      const memory = memoirMemoryRecord({ modelId, config, C, H, wm: new Float32Array(C * H), edits: [] });
      return { result: empty, write: (db) => (empty ? db.putMemoirMemory(memory) : Promise.resolve()) };
    });
    // The new config's layer may need other background statistics than the state held.
    if (taken) await this.fresh(true);
    return taken;
  }

  /** Stores a backup's edits (store/backup.ts) into an empty edit list: refused while any edit is
   *  stored, in force or not, so an import never takes the place of edits. One transaction per edit, each
   *  with the memory of the edits stored so far (the backup's own Wm, bit-exact, with the last), so a
   *  failure part way leaves a store that loads as it is; the error says how many were restored. */
  async restore(snapshot: MemoirSnapshot, createdAt: ReadonlyMap<string, number>): Promise<void> {
    const { model } = this.deps;
    await this.change('import', async (state) => {
      const stored = state.editor.size + state.notInForce.size;
      if (stored > 0) {
        throw new EngineError(
          'SHAPE',
          `memoir: a backup is restored into an empty edit list, and ${stored} edits are stored`,
          'delete them first (Delete all edits), after exporting them if you want to keep them',
        );
      }
      const { C, H, edits } = snapshot;
      const write = async (db: EditscopeDB) => {
        for (const [i, edit] of edits.entries()) {
          const upTo = edits.slice(0, i + 1);
          const wm = i === edits.length - 1 ? snapshot.wm : sumOfDeltas(C, H, upTo);
          const { editId: id, prompt, target } = edit;
          try {
            await db.saveMemoirEdit(
              { id, modelId: model.id, method: 'memoir', prompt, target, createdAt: createdAt.get(id)! },
              memoirEditRecord(model.id, edit),
              memoirMemoryRecord({ ...snapshot, edits: upTo, wm }),
            );
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new EngineError(
              'STORAGE',
              `memoir: the backup was restored up to ${i} of its ${edits.length} edits (${message})`,
              'free some storage for this site, delete the restored edits and import the backup again',
            );
          }
        }
        // A backup without edits still carries a config (its τ) to keep.
        if (edits.length === 0) await db.putMemoirMemory(memoirMemoryRecord(snapshot));
      };
      return { result: undefined, write };
    });
  }

  close(): void {
    this.unlisten();
  }

  /** Under the model's lock: reads the store, applies `work` to what it read, stores the result and
   *  announces it. When work or storing fails, the state is read from the store again, so this tab holds
   *  exactly what the store does; a storing failure is a STORAGE error. */
  private async change<T>(kind: MemoirChange, work: (state: MemoirState) => Promise<Change<T>>): Promise<T> {
    const { db, model, serialise, channel } = this.deps;
    this.justOpened = false; // another tab's change may land before its announcement does
    this.changing++;
    try {
      return await serialise(memoirLockName(model.id), async () => {
        const before = this.held;
        this.generation++;
        this.held = await readState(this.deps);
        this.stale = false;
        try {
          const { result, write } = await work(this.held);
          try {
            await write(db);
          } catch (error) {
            if (error instanceof EngineError && error.code === 'STORAGE') throw error;
            const message = error instanceof Error ? error.message : String(error);
            throw new EngineError(
              'STORAGE',
              `memoir: the change could not be stored (${message}); the memory is as it was before it`,
              'free some storage for this site (or leave private browsing) and try again',
            );
          }
          channel.post({ type: 'memoir-changed', modelId: model.id, change: kind, writer: this.id });
          return result;
        } catch (error) {
          this.held = await readState(this.deps).catch(() => before);
          throw error;
        }
      });
    } finally {
      this.changing--;
    }
  }
}

/** The model's state as stored now: the snapshot memoirSnapshot makes of its records (always one a
 *  MemoirEditor of this model accepts), the listed edits and which of them are not in force. */
async function readState(deps: WriterDeps): Promise<MemoirState> {
  const { db, model, defaults } = deps;
  const loaded = await db.loadMemoir(model.id);
  const { snapshot, problems } = memoirSnapshot(loaded, defaults);
  const config = snapshot?.config ?? defaults.config;
  const background = await deps.background(config.layer);
  const { prompts, stats } = background;
  const editor = new MemoirEditor(model, config, stats, prompts, snapshot ?? undefined);
  const listed = loaded.listed.records;
  return {
    editor,
    background,
    createdAt: new Map(listed.map((r) => [r.id, r.createdAt])),
    notInForce: new Map(editsNotInForce(listed, snapshot).map((r) => [r.id, r])),
    problems: [...problems, ...loaded.listed.problems, ...background.problems],
  };
}
