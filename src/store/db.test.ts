// EditscopeDB on fake-indexeddb: atomic MEMOIR/SERAC writes, per-model listing, corrupt records reported
// and kept, a newer on-disk schema refused untouched, and a MEMOIR editor rebuilt bit-exactly from storage.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../editors/memoir/config';
import { MemoirEditor } from '../editors/memoir/editor';
import { computeBackgroundStats } from '../editors/memoir/tophash';
import { ToyModel } from '../editors/memoir/toy-model';
import { EditscopeDB } from './db';
import {
  backgroundStatsFrom,
  backgroundStatsRecord,
  cachedBackgroundStats,
  memoirEditRecord,
  memoirMemoryRecord,
  memoirSnapshot,
} from './memoir';
import { DB_VERSION, type EditRecord } from './schema';

let dbName = 'test';
let counter = 0;
const opened: EditscopeDB[] = [];
async function fresh(): Promise<EditscopeDB> {
  dbName = `test-${counter++}`;
  const db = await EditscopeDB.open(dbName);
  opened.push(db);
  return db;
}
afterEach(() => opened.splice(0).forEach((db) => db.close()));

const edit = (id: string, modelId = 'm'): EditRecord => ({
  id,
  modelId,
  method: 'memoir',
  prompt: `p ${id}`,
  target: `t ${id}`,
  createdAt: 1,
});

const BACKGROUND = ['the river runs to the sea', 'a bird sang in the garden', 'trains leave before noon'];

describe('EditscopeDB', () => {
  it('saves and rebuilds a MEMOIR editor bit-exactly, deletes atomically', async () => {
    const db = await fresh();
    const model = new ToyModel();
    const cfg = { ...defaultMemoirConfig({ layers: 1, H: 64 }, 'last-zscore'), prefixCopies: 1 };
    const stats = await computeBackgroundStats(model, 0, BACKGROUND);
    await db.putBackgroundStats(backgroundStatsRecord(stats));
    const editor = new MemoirEditor(model, cfg, stats, BACKGROUND);
    for (const e of [edit('a', model.id), edit('b', model.id)]) {
      await editor.applyEdit(e);
      const stored = editor.edits().find((x) => x.editId === e.id)!;
      await db.saveMemoirEdit(e, memoirEditRecord(model.id, stored), memoirMemoryRecord(editor.snapshot()));
    }
    const loadedStats = await db.getBackgroundStats(model.id, 0);
    const { snapshot, problems } = memoirSnapshot(await db.loadMemoir(model.id));
    expect(problems).toEqual([]);
    const copy = new MemoirEditor(
      model,
      cfg,
      backgroundStatsFrom(loadedStats.records[0]),
      BACKGROUND,
      snapshot!,
    );
    expect(copy.snapshot()).toEqual(editor.snapshot());

    editor.deleteEdit('a');
    await db.deleteMemoirEdit('a', memoirMemoryRecord(editor.snapshot()));
    const after = await db.loadMemoir(model.id);
    expect(after.edits.map((e) => e.editId)).toEqual(['b']);
    expect(after.memory!.wm).toEqual(editor.snapshot().wm);
    expect((await db.listEdits(model.id)).records.map((e) => e.id)).toEqual(['b']);

    // Another gate τ is stored with the memory; the edits and Wm stay as they were.
    const regated = editor.withGate(0.9);
    await db.putMemoirMemory(memoirMemoryRecord(regated.snapshot()));
    const reloaded = memoirSnapshot(await db.loadMemoir(model.id)).snapshot!;
    expect(reloaded.config.tau).toBe(0.9);
    expect(reloaded.wm).toEqual(editor.snapshot().wm);
    expect(reloaded.edits.map((e) => e.editId)).toEqual(['b']);
  });

  it('computes background statistics once and serves them from the store after', async () => {
    const db = await fresh();
    const model = new ToyModel();
    const first = await cachedBackgroundStats(db, model, 0, BACKGROUND);
    const second = await cachedBackgroundStats(db, model, 0, BACKGROUND);
    expect([first.computed, second.computed]).toEqual([true, false]);
    expect(second.stats).toEqual(first.stats);
    expect((await cachedBackgroundStats(db, model, 0, BACKGROUND.slice(0, 2))).computed).toBe(true);
  });

  it('reports a corrupt record, keeps it, and still loads the rest', async () => {
    const db = await fresh();
    await db.saveSeracEdit(edit('ok'), { modelId: 'm', editId: 'ok', input: 'q', label: 'a' });
    const raw = await openDB(dbName);
    await raw.put('edits', { id: 'bad', modelId: 'm', method: 'rome', prompt: 3 });
    await raw.put('seracMemory', { modelId: 'm', editId: 'bad2', input: 'q' });
    raw.close();
    const edits = await db.listEdits('m');
    expect(edits.records.map((e) => e.id)).toEqual(['ok']);
    expect(edits.problems).toHaveLength(1);
    expect(edits.problems[0]).toMatch(
      /edits record "bad" skipped \(method must be one of memoir \| serac; prompt is not a string/,
    );
    const serac = await db.loadSerac('m');
    expect(serac.records).toHaveLength(1);
    expect(serac.problems[0]).toMatch(/\["m","bad2"\] skipped \(label is not a string\)/);
    // Reading again: still there (never deleted), still reported.
    expect((await db.listEdits('m')).problems).toHaveLength(1);
  });

  it('reports a MEMOIR edit that does not fit its memory', async () => {
    const db = await fresh();
    const cfg = defaultMemoirConfig({ layers: 1, H: 8 });
    const memory = { modelId: 'm', config: cfg, C: 2, H: 8, wm: new Float32Array(16), updatedAt: 0 };
    const entry = {
      modelId: 'm',
      editId: 'x',
      slot: 0,
      prompt: 'p',
      target: 't',
      cols: Int32Array.from([1]),
      delta: new Float32Array(2),
      steps: 1,
      loss: 0,
    };
    await db.saveMemoirEdit(edit('x'), entry, memory);
    const { snapshot, problems } = memoirSnapshot(await db.loadMemoir('m'));
    expect(snapshot!.edits).toEqual([]);
    expect(problems[0]).toMatch(/"x" skipped: mask\/delta do not fit k=2, C=2, H=8/);
  });

  it('keeps settings, clears one model only, refuses a newer schema untouched', async () => {
    const db = await fresh();
    await db.setSetting('theme', { dark: true });
    expect(await db.getSetting('theme')).toEqual({ dark: true });
    expect(await db.getSetting('missing')).toBeUndefined();
    await db.saveSeracEdit(edit('a', 'm1'), { modelId: 'm1', editId: 'a', input: 'q', label: 'a' });
    await db.saveSeracEdit(edit('b', 'm2'), { modelId: 'm2', editId: 'b', input: 'q', label: 'b' });
    await db.clearModel('m1');
    expect((await db.listEdits('m1')).records).toEqual([]);
    expect((await db.loadSerac('m2')).records).toHaveLength(1);
    db.close();
    opened.pop();

    const newer = await openDB(dbName, DB_VERSION + 1);
    newer.close();
    await expect(EditscopeDB.open(dbName)).rejects.toThrow(/written by a newer Editscope.*left untouched/);
    const check = await openDB(dbName);
    expect(await check.count('edits')).toBe(1);
    check.close();
  });
});
