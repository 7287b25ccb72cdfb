// memoirSnapshot on records read back from fake-indexeddb after real MEMOIR edits (ToyModel): a store that
// lost an edit record or its memory record still gives an editor that starts, holds every usable edit, and
// has no trace of what was left out; a later edit survives the next load. An edit left out is listed as
// not in force, and applying it again under its id, or removing it, leaves a store that loads clean.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../editors/memoir/config';
import { deltaValues } from '../editors/memoir/delta';
import { MemoirEditor } from '../editors/memoir/editor';
import { sumOfDeltas } from '../editors/memoir/memory';
import { computeBackgroundStats } from '../editors/memoir/tophash';
import { ToyModel } from '../editors/memoir/toy-model';
import { EditscopeDB } from './db';
import { editsNotInForce, memoirEditRecord, memoirMemoryRecord, memoirSnapshot } from './memoir';

const BACKGROUND = ['the river runs to the sea', 'a bird sang in the garden', 'trains leave before noon'];
const EDITS = [
  { id: 'a', prompt: 'the capital of france is', target: ' rome' },
  { id: 'b', prompt: 'the colour of the sky is', target: ' green' },
  { id: 'c', prompt: 'water boils at one hundred', target: ' kelvin' },
];

let counter = 0;
const opened: EditscopeDB[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

/** A fresh database holding EDITS as the app stores them, the editor that trained them, and its model. */
async function editedStore() {
  const name = `memoir-${counter++}`;
  const db = await EditscopeDB.open(name);
  opened.push(db);
  const model = new ToyModel();
  const config = { ...defaultMemoirConfig({ layers: 1, H: model.dims.H }, 'last-zscore'), prefixCopies: 1 };
  const stats = await computeBackgroundStats(model, 0, BACKGROUND);
  const editor = new MemoirEditor(model, config, stats, BACKGROUND);
  for (const e of EDITS) await trainAndSave(db, editor, model.id, e);
  const defaults = { modelId: model.id, config, layers: 1, C: model.dims.C, H: model.dims.H };
  const load = async () => memoirSnapshot(await db.loadMemoir(model.id), defaults);
  /** Overwrites one stored record as is, bypassing validation (a corrupt or legacy record). */
  const putRaw = async (store: 'memoirEdits' | 'memoirMemory', value: unknown) => {
    const raw = await openDB(name);
    await raw.put(store, value);
    raw.close();
  };
  return { db, model, stats, editor, defaults, load, putRaw };
}

async function trainAndSave(
  db: EditscopeDB,
  editor: MemoirEditor,
  modelId: string,
  e: { id: string; prompt: string; target: string },
) {
  await editor.applyEdit(e);
  const stored = editor.edits().find((x) => x.editId === e.id)!;
  await db.saveMemoirEdit(
    { ...e, modelId, method: 'memoir', createdAt: 1 },
    memoirEditRecord(modelId, stored),
    memoirMemoryRecord(editor.snapshot()),
  );
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

describe('memoirSnapshot', () => {
  it('leaves out an unreadable edit record and rebuilds the memory without it', async () => {
    const { model, stats, editor, load, putRaw } = await editedStore();
    const a = editor.edits().find((e) => e.editId === 'a')!;
    await putRaw('memoirEdits', { ...memoirEditRecord(model.id, a), delta: 'lost' });

    const { snapshot, problems } = await load();
    expect(snapshot!.edits.map((e) => e.editId)).toEqual(['b', 'c']);
    expect(problems).toEqual([
      expect.stringMatching(/memoirEdits record .*"a".* skipped \(delta is not \{ dtype: 'f16'/),
      expect.stringMatching(/rebuilt from the 2 usable edits, so the 1 left out have no effect/),
    ]);
    expect(snapshot!.wm).toEqual(sumOfDeltas(model.dims.C, model.dims.H, snapshot!.edits));
    // The memory as deleting "a" leaves it, to rounding: its columns no other edit uses are exactly 0.
    editor.deleteEdit('a');
    expect(maxAbsDiff(snapshot!.wm, editor.snapshot().wm)).toBeLessThan(1e-6);
    const zeroColumns = (wm: Float32Array) =>
      [...Array(model.dims.H).keys()].filter((h) =>
        wm.every((_, i) => i % model.dims.H !== h || wm[i] === 0),
      );
    expect(zeroColumns(snapshot!.wm)).toEqual(zeroColumns(editor.snapshot().wm));

    const restored = new MemoirEditor(model, snapshot!.config, stats, BACKGROUND, snapshot!);
    for (const e of EDITS.slice(1)) {
      expect(model.decode(await restored.greedy(e.prompt, 1))).toBe(e.target.trim());
    }
  });

  it("reads an older record's bare f32 delta as the f32 delta it is, with the memory as stored", async () => {
    const { model, editor, load, putRaw } = await editedStore();
    expect(editor.edits().map((e) => e.delta.dtype)).toEqual(['f16', 'f16', 'f16']);
    // Records as the app wrote them before f16 deltas: the delta a Float32Array, the same values.
    for (const e of editor.edits()) {
      await putRaw('memoirEdits', { ...memoirEditRecord(model.id, e), delta: deltaValues(e.delta) });
    }
    const { snapshot, problems } = await load();
    expect(problems).toEqual([]);
    expect(snapshot!.wm).toEqual(editor.snapshot().wm);
    expect(snapshot!.edits).toEqual(
      editor.edits().map((e) => ({ ...e, delta: { dtype: 'f32', values: deltaValues(e.delta) } })),
    );
  });

  it('leaves out an edit whose mask does not fit the memory', async () => {
    const { model, editor, load, putRaw } = await editedStore();
    const c = editor.edits().find((e) => e.editId === 'c')!;
    const k = c.cols.length;
    // A readable record of k - 1 columns: its own shape is consistent, only the memory's k rules it out.
    await putRaw('memoirEdits', {
      ...memoirEditRecord(model.id, c),
      cols: c.cols.slice(1),
      delta: deltaValues(c.delta).filter((_, i) => i % k !== 0),
    });
    const { snapshot, problems } = await load();
    expect(snapshot!.edits.map((e) => e.editId)).toEqual(['a', 'b']);
    expect(problems[0]).toMatch(/"c" skipped: mask\/delta do not fit k=\d+, C=24, H=64/);
  });

  it('keeps the edits when the memory record is lost, and an edit made after it survives the next load', async () => {
    const { db, model, stats, editor, defaults, load, putRaw } = await editedStore();
    await putRaw('memoirMemory', { modelId: model.id, wm: 'lost' });

    const lost = await load();
    expect(lost.snapshot!.edits.map((e) => e.editId)).toEqual(['a', 'b', 'c']);
    expect(lost.snapshot!.config).toEqual(defaults.config);
    expect(maxAbsDiff(lost.snapshot!.wm, editor.snapshot().wm)).toBeLessThan(1e-6);
    expect(lost.problems[1]).toMatch(
      /memory of toy-.* was missing or unreadable; it was rebuilt from its 3 usable/,
    );

    // The next edit takes a new slot and writes a whole memory record again.
    const continued = new MemoirEditor(model, lost.snapshot!.config, stats, BACKGROUND, lost.snapshot!);
    await trainAndSave(db, continued, model.id, { id: 'd', prompt: 'the best fruit is', target: ' lemon' });
    const next = await load();
    expect(next.problems).toEqual([]);
    expect(next.snapshot!.edits.map((e) => [e.editId, e.slot])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
    expect(next.snapshot!.wm).toEqual(continued.snapshot().wm);
    const reloaded = new MemoirEditor(model, next.snapshot!.config, stats, BACKGROUND, next.snapshot!);
    expect(model.decode(await reloaded.greedy('the best fruit is', 1))).toBe('lemon');
  });

  it('moves the later of two edits sharing a slot to a free one and keeps both', async () => {
    const { model, stats, editor, load, putRaw } = await editedStore();
    const c = editor.edits().find((e) => e.editId === 'c')!;
    await putRaw('memoirEdits', { ...memoirEditRecord(model.id, c), slot: 0 });

    const { snapshot, problems } = await load();
    expect(problems).toEqual([]);
    expect(snapshot!.edits.map((e) => [e.editId, e.slot])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(snapshot!.wm).toEqual(sumOfDeltas(model.dims.C, model.dims.H, snapshot!.edits));
    const restored = new MemoirEditor(model, snapshot!.config, stats, BACKGROUND, snapshot!);
    expect(restored.edits().map((e) => e.editId)).toEqual(['a', 'b', 'c']);
  });
});

describe('editsNotInForce', () => {
  /** The store with edit "a"'s MEMOIR record unreadable, loaded as the worker loads it. */
  async function storeMissingA() {
    const store = await editedStore();
    const a = store.editor.edits().find((e) => e.editId === 'a')!;
    await store.putRaw('memoirEdits', { ...memoirEditRecord(store.model.id, a), delta: 'lost' });
    const { snapshot } = await store.load();
    const listed = (await store.db.listEdits(store.model.id)).records;
    return { ...store, snapshot: snapshot!, listed };
  }

  it('lists the stored edits the restored memory left out, with what the user typed', async () => {
    const { model, snapshot, listed } = await storeMissingA();
    expect(editsNotInForce(listed, snapshot)).toEqual([
      {
        id: 'a',
        modelId: model.id,
        method: 'memoir',
        prompt: EDITS[0].prompt,
        target: ' rome',
        createdAt: 1,
      },
    ]);
    expect(editsNotInForce(listed, null).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('applied again under its id, the edit overwrites its unreadable record and loads clean', async () => {
    const { db, model, stats, snapshot, load } = await storeMissingA();
    const restored = new MemoirEditor(model, snapshot.config, stats, BACKGROUND, snapshot);
    await trainAndSave(db, restored, model.id, EDITS[0]);

    const next = await load();
    expect(next.problems).toEqual([]);
    expect(next.snapshot!.edits.map((e) => e.editId)).toEqual(['b', 'c', 'a']);
    expect(editsNotInForce((await db.listEdits(model.id)).records, next.snapshot)).toEqual([]);
    const reloaded = new MemoirEditor(model, next.snapshot!.config, stats, BACKGROUND, next.snapshot!);
    for (const e of EDITS) expect(model.decode(await reloaded.greedy(e.prompt, 1))).toBe(e.target.trim());
  });

  it('removed, the edit leaves neither record behind and the others hold', async () => {
    const { db, model, snapshot, load } = await storeMissingA();
    await db.deleteMemoirEdits(['a'], memoirMemoryRecord(snapshot));

    const next = await load();
    expect(next.problems).toEqual([]);
    expect(next.snapshot!.edits.map((e) => e.editId)).toEqual(['b', 'c']);
    expect(next.snapshot!.wm).toEqual(snapshot.wm);
    expect((await db.listEdits(model.id)).records.map((r) => r.id).sort()).toEqual(['b', 'c']);
  });
});
