// Test fixture: "tabs" on one fake IndexedDB, each an EditscopeDB connection with its own MemoirWriter
// and BroadcastChannel, sharing one in-process lock manager (what navigator.locks is across real tabs),
// on the toy model with real trained edits; and the check that a store holds exactly a set of edits.
// Imported by tests only (they import 'fake-indexeddb/auto' first).

import { expect } from 'vitest';
import { defaultMemoirConfig } from '../editors/memoir/config';
import { MemoirEditor, type MemoirSnapshot } from '../editors/memoir/editor';
import { computeBackgroundStats } from '../editors/memoir/tophash';
import { ToyModel } from '../editors/memoir/toy-model';
import { EditscopeDB } from './db';
import { matchesEdits, memoirEditRecord, memoirMemoryRecord } from './memoir';
import { MemoirWriter } from './memoir-writer';
import { inProcessLocks, storeChannel, type Serialise } from './tabs';

export const BACKGROUND = [
  'the river runs to the sea',
  'a bird sang in the garden',
  'trains leave before noon',
];
/** Facts the toy model learns one by one without disturbing each other. */
export const FACTS = [
  { prompt: 'the capital of france is', target: ' rome' },
  { prompt: 'the colour of the sky is', target: ' green' },
  { prompt: 'water boils at one hundred', target: ' kelvin' },
  { prompt: 'the best fruit is', target: ' lemon' },
  { prompt: 'a cat likes to chase', target: ' trains' },
  { prompt: 'my favourite river runs to', target: ' paris' },
];

let counter = 0;
/** One model for every store: the toy model numbers words as it first meets them, so edits trained for
 *  one store answer in another only through the same instance. */
const model = new ToyModel();

/** A fresh database named for this store, tabs on it, and a snapshot of edits trained apart from it. */
export async function tabStore() {
  const name = `tabs-${counter++}`;
  const config = { ...defaultMemoirConfig({ layers: 1, H: model.dims.H }, 'last-zscore'), prefixCopies: 1 };
  const stats = await computeBackgroundStats(model, 0, BACKGROUND);
  const defaults = { modelId: model.id, config, layers: 1, C: model.dims.C, H: model.dims.H };
  const serialise: Serialise = inProcessLocks();
  const closers: (() => void)[] = [];

  /** A tab: its own connection, writer and channel; `serialise` shared unless given. */
  const open = async (locks: Serialise = serialise) => {
    const db = await EditscopeDB.open(name);
    const channel = storeChannel();
    const writer = await MemoirWriter.open({
      db,
      model,
      defaults,
      background: async () => ({ prompts: BACKGROUND, stats, problems: [] }),
      serialise: locks,
      channel,
    });
    closers.push(() => {
      writer.close();
      channel.close();
      db.close();
    });
    return writer;
  };

  /** `facts` trained one after another into a fresh editor (never stored): a backup's content, or
   *  records to plant. */
  const trained = async (facts: readonly { prompt: string; target: string }[], prefix = 'x') => {
    const editor = new MemoirEditor(model, config, stats, BACKGROUND);
    for (const [i, f] of facts.entries()) await editor.applyEdit({ id: `${prefix}${i}`, ...f });
    return editor.snapshot();
  };

  /** Stores a snapshot's edits as the app does (one transaction each, the memory as it ends). */
  const plant = async (snapshot: MemoirSnapshot) => {
    const db = await EditscopeDB.open(name);
    for (const [i, e] of snapshot.edits.entries()) {
      await db.saveMemoirEdit(
        {
          id: e.editId,
          modelId: model.id,
          method: 'memoir',
          prompt: e.prompt,
          target: e.target,
          createdAt: i,
        },
        memoirEditRecord(model.id, e),
        memoirMemoryRecord(snapshot),
      );
    }
    db.close();
  };

  /** What a new tab reads: no problem line, exactly `prompts` in force and listed, none left out, Wm the
   *  sum of their deltas, each answering its new target, and every tab given holding the same memory. */
  const expectHolds = async (prompts: readonly string[], tau: number, tabs: MemoirWriter[] = []) => {
    const { editor, problems, notInForce, createdAt } = (await open()).state;
    expect(problems).toEqual([]);
    const held = editor.edits();
    expect(held.map((e) => e.prompt).sort()).toEqual([...prompts].sort());
    expect([...createdAt.keys()].sort()).toEqual(held.map((e) => e.editId).sort());
    expect([...notInForce.keys()]).toEqual([]);
    expect(editor.config.tau).toBe(tau);
    const { wm, C, H } = editor.snapshot();
    expect(matchesEdits(wm, C, H, held)).toBe(true);
    for (const e of held) expect(model.decode(await editor.greedy(e.prompt, 1))).toBe(e.target.trim());
    for (const tab of tabs) expect((await tab.fresh(true)).editor.snapshot()).toEqual(editor.snapshot());
  };

  const close = () => closers.splice(0).forEach((c) => c());
  return { name, model, config, stats, defaults, open, trained, plant, expectHolds, close };
}
