// EditscopeDB on fake-indexeddb: atomic MEMOIR writes, per-model listing, corrupt records reported and
// kept, migrations that reach the declared stores and keep a v1 database's records, a newer on-disk schema
// refused untouched, and a MEMOIR editor rebuilt bit-exactly from storage.
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
import { DB_VERSION, MIGRATIONS, STORES, type EditRecord, type UpgradeTarget } from './schema';

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
    const defaults = { modelId: model.id, config: cfg, layers: 1, C: model.dims.C, H: model.dims.H };
    const { snapshot, problems } = memoirSnapshot(await db.loadMemoir(model.id), defaults);
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
    await db.deleteMemoirEdits(['a'], memoirMemoryRecord(editor.snapshot()));
    const after = await db.loadMemoir(model.id);
    expect(after.edits.map((e) => e.editId)).toEqual(['b']);
    expect(after.memory!.wm).toEqual(editor.snapshot().wm);
    expect((await db.listEdits(model.id)).records.map((e) => e.id)).toEqual(['b']);

    // Another gate τ is stored with the memory; the edits and Wm stay as they were.
    const regated = editor.withGate(0.9);
    await db.putMemoirMemory(memoirMemoryRecord(regated.snapshot()));
    const reloaded = memoirSnapshot(await db.loadMemoir(model.id), defaults).snapshot!;
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
    await saveEdit(db, edit('ok'));
    const raw = await openDB(dbName);
    await raw.put('edits', { id: 'bad', modelId: 'm', method: 'rome', prompt: 3 });
    raw.close();
    const edits = await db.listEdits('m');
    expect(edits.records.map((e) => e.id)).toEqual(['ok']);
    expect(edits.problems).toHaveLength(1);
    expect(edits.problems[0]).toMatch(
      /edits record "bad" skipped \(method must be one of memoir \| serac; prompt is not a string/,
    );
    // Reading again: still there (never deleted), still reported.
    expect((await db.listEdits('m')).problems).toHaveLength(1);
  });

  it('deletes several MEMOIR edits in one change', async () => {
    const db = await fresh();
    for (const id of ['a', 'b', 'c']) await saveEdit(db, edit(id));
    const { memory } = await db.loadMemoir('m');
    await db.deleteMemoirEdits(['a', 'c'], memory!);
    expect((await db.listEdits('m')).records.map((e) => e.id)).toEqual(['b']);
    expect((await db.loadMemoir('m')).edits.map((e) => e.editId)).toEqual(['b']);
  });

  it('keeps settings per key and refuses a newer schema untouched', async () => {
    const db = await fresh();
    await db.setSetting('theme', { dark: true });
    expect(await db.getSetting('theme')).toEqual({ dark: true });
    expect(await db.getSetting('missing')).toBeUndefined();
    await db.deleteSetting('theme');
    expect(await db.getSetting('theme')).toBeUndefined();
    await saveEdit(db, edit('a'));
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

describe('a schema upgrade with another tab open', () => {
  it('waits for an older tab holding the database, says so, and proceeds when it closes', async () => {
    dbName = `test-${counter++}`;
    const older = await openDB(dbName, 1, {
      upgrade: (database) => MIGRATIONS[0](database as unknown as UpgradeTarget),
    });
    await older.put('edits', edit('kept'));
    let blocked = 0;
    let done = false;
    const upgrading = EditscopeDB.open(dbName, { onBlocked: () => blocked++ }).then((db) => {
      done = true;
      return db;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ blocked, done }).toEqual({ blocked: 1, done: false });
    older.close();
    const db = await upgrading;
    opened.push(db);
    expect((await db.listEdits('m')).records.map((e) => e.id)).toEqual(['kept']);
  });

  it("closes this tab's connection for a newer tab's upgrade, which proceeds; later calls say to reload", async () => {
    let blocking = 0;
    dbName = `test-${counter++}`;
    const db = await EditscopeDB.open(dbName, { onBlocking: () => blocking++ });
    await saveEdit(db, edit('a'));
    const newer = await openDB(dbName, DB_VERSION + 1);
    expect(blocking).toBe(1);
    expect(await newer.count('edits')).toBe(1);
    newer.close();
    await expect(db.listEdits('m')).rejects.toThrow(
      /another Editscope tab upgraded .*\nHINT: reload this tab/,
    );
  });
});

describe('migrations', () => {
  it('leave exactly the declared stores, key paths and byModel indexes', async () => {
    const db = await fresh();
    db.close();
    opened.pop();
    const raw = await openDB(dbName);
    expect([...raw.objectStoreNames].sort()).toEqual(Object.keys(STORES).sort());
    const tx = raw.transaction([...raw.objectStoreNames], 'readonly');
    for (const [name, spec] of Object.entries(STORES)) {
      const store = tx.objectStore(name as keyof typeof STORES);
      expect({ name, keyPath: store.keyPath, byModel: store.indexNames.contains('byModel') }).toEqual({
        name,
        ...spec,
      });
    }
    raw.close();
  });

  it('take a v1 database to the current version with its records kept', async () => {
    dbName = `test-${counter++}`;
    const v1 = await openDB(dbName, 1, {
      upgrade: (database) => MIGRATIONS[0](database as unknown as UpgradeTarget),
    });
    await v1.put('edits', edit('kept'));
    await v1.put('settings', { key: 'serac.threshold|m', value: 0.7 });
    v1.close();
    const db = await EditscopeDB.open(dbName);
    opened.push(db);
    expect((await db.listEdits('m')).records.map((e) => e.id)).toEqual(['kept']);
    expect(await db.getSetting('serac.threshold|m')).toBe(0.7);
  });
});

/** Stores an edit as the app does (edit, MEMOIR entry, memory), with a one-column mask and zero delta. */
function saveEdit(db: EditscopeDB, e: EditRecord): Promise<void> {
  const memory = {
    modelId: e.modelId,
    config: defaultMemoirConfig({ layers: 1, H: 8 }),
    C: 2,
    H: 8,
    wm: new Float32Array(16),
    updatedAt: 0,
  };
  const entry = {
    modelId: e.modelId,
    editId: e.id,
    slot: 0,
    prompt: e.prompt,
    target: e.target,
    cols: Int32Array.from([1]),
    delta: new Float32Array(2),
    steps: 1,
    loss: 0,
  };
  return db.saveMemoirEdit(e, entry, memory);
}
