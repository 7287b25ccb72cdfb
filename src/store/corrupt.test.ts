// Corrupt records, one kind per case, planted into a store of three real edits (toy model): the editor
// always starts, every edit whose records are usable stays in force (Wm the sum of their deltas, each
// answering its target), each unusable record is reported with the edit and the reason, and an edit
// whose prompt and answer survive is listed as not in force. Also: background statistics that are not
// finite are recomputed, a write that would store NaN is refused, and removing an edit whose delta is
// NaN leaves a finite memory.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deltaValues, type Delta } from '../editors/memoir/delta';
import type { MemoirSnapshot } from '../editors/memoir/editor';
import { EditscopeDB } from './db';
import { cachedBackgroundStats, matchesEdits, memoirEditRecord, memoirMemoryRecord } from './memoir';
import { BACKGROUND, FACTS, tabStore } from './test-tabs';

type Store = Awaited<ReturnType<typeof tabStore>>;
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

/** Edits i0, i1, i2 (FACTS 0-2), trained once; i3 (FACTS 3) trained after them, for a ghost. */
let three: MemoirSnapshot;
let four: MemoirSnapshot;
beforeAll(async () => {
  const store = await tabStore();
  four = await store.trained(FACTS.slice(0, 4), 'i');
  three = await store.trained(FACTS.slice(0, 3), 'i');
});

type Raw = Record<string, unknown>;
interface Planted {
  store: Store;
  /** The stored record of edit `id` (memoirEdits) or of the memory, as written. */
  edit: (id: string) => Raw;
  memory: () => Raw;
  put: (store: 'memoirEdits' | 'memoirMemory' | 'edits', value: unknown) => Promise<void>;
  remove: (store: 'memoirEdits' | 'memoirMemory', key: IDBValidKey) => Promise<void>;
}

async function planted(): Promise<Planted> {
  const store = await tabStore();
  stores.push(store);
  await store.plant(three);
  const { model } = store;
  const raw = async <T>(f: (db: Awaited<ReturnType<typeof openDB>>) => Promise<T>) => {
    const db = await openDB(store.name);
    try {
      return await f(db);
    } finally {
      db.close();
    }
  };
  return {
    store,
    edit: (id) => ({
      ...memoirEditRecord(
        model.id,
        three.edits.find((e) => e.editId === id)!,
      ),
    }),
    memory: () => ({ ...memoirMemoryRecord(three) }),
    put: (name, value) => raw((db) => db.put(name, value)).then(() => undefined),
    remove: (name, key) => raw((db) => db.delete(name, key)),
  };
}

interface Case {
  name: string;
  corrupt: (p: Planted) => Promise<void>;
  /** The edits in force afterwards. */
  inForce: string[];
  /** Each matches one problem line; none: no problem line at all. */
  problems: RegExp[];
  /** Listed edits not in force (their prompt and answer kept). */
  notInForce?: string[];
  /** The gate τ afterwards (default 0.53, as stored). */
  tau?: number;
}

const ALL = ['i0', 'i1', 'i2'];
const NOT_I0 = ['i1', 'i2'];
const LEFT_OUT = /rebuilt from the 2 usable edits, so the 1 left out/;
const REBUILT = /was missing or unreadable; it was rebuilt from its 3 usable stored edits/;
/** Edit i0's record changed; `why`: its problem line (it is left out), or null: it stays in force. */
const editCase = (name: string, change: (r: Raw) => Raw, why: RegExp | null): Case => ({
  name: `edit record: ${name}`,
  corrupt: (p) => p.put('memoirEdits', change(p.edit('i0'))),
  inForce: why ? NOT_I0 : ALL,
  problems: why ? [why, LEFT_OUT] : [],
  notInForce: why ? ['i0'] : [],
});
const memoryCase = (name: string, change: (r: Raw) => Raw, why: RegExp, tau?: number): Case => ({
  name: `memory record: ${name}`,
  corrupt: (p) => p.put('memoirMemory', change(p.memory())),
  inForce: ALL,
  problems: [why],
  tau,
});
const f32 = (r: Raw, f: string) => r[f] as Float32Array;
const i32 = (r: Raw, f: string) => r[f] as Int32Array;
const withValue = (a: Float32Array, i: number, v: number) =>
  Float32Array.from(a, (x, j) => (j === i ? v : x));
const config = (r: Raw) => r.config as Raw;
/** The record's f16 delta bits (every delta the toy edits store is f16: see the first case). */
const half = (r: Raw) => {
  const d = r.delta as Delta;
  if (d.dtype !== 'f16') throw new Error(`expected an f16 delta, got ${d.dtype}`);
  return d.bits;
};
const f16 = (bits: Uint16Array | number[]) => ({ dtype: 'f16', bits });
const withBits = (a: Uint16Array, i: number, v: number) => Uint16Array.from(a, (x, j) => (j === i ? v : x));
/** The record's delta as the app wrote it before f16 deltas: a bare Float32Array of the same values. */
const older = (r: Raw) => deltaValues(r.delta as Delta);

const CASES: Case[] = [
  editCase('delta f16, as stored', (r) => ({ ...r, delta: f16(half(r)) }), null),
  editCase('delta missing', (r) => without(r, 'delta'), /"i0".*delta is not \{ dtype: 'f16'/),
  editCase('delta bits a plain array', (r) => ({ ...r, delta: f16([...half(r)]) }), /delta is not \{ dtype/),
  editCase(
    'delta of another dtype',
    (r) => ({ ...r, delta: { ...f16(half(r)), dtype: 'bf16' } }),
    /delta is not/,
  ),
  editCase(
    'NaN in an f16 delta',
    (r) => ({ ...r, delta: f16(withBits(half(r), 0, 0x7e00)) }),
    /delta\.bits\[0\] is NaN \(0x7e00\)/,
  ),
  editCase(
    'Inf in an f16 delta',
    (r) => ({ ...r, delta: f16(withBits(half(r), 5, 0xfc00)) }),
    /delta\.bits\[5\] is Inf \(0xfc00\)/,
  ),
  editCase(
    'Inf in an f32 delta',
    (r) => ({ ...r, delta: { dtype: 'f32', values: withValue(older(r), 5, Infinity) } }),
    /delta\.values\[5\] is Inf/,
  ),
  editCase("an older record's f32 delta", (r) => ({ ...r, delta: older(r) }), null),
  editCase(
    "NaN in an older record's delta",
    (r) => ({ ...r, delta: withValue(older(r), 0, NaN) }),
    /delta\[0\] is NaN/,
  ),
  editCase('delta truncated', (r) => ({ ...r, delta: f16(half(r).slice(1)) }), /delta is not \(C, k\)/),
  editCase(
    "another model's dims (C + 1)",
    (r) => ({ ...r, delta: f16(new Uint16Array(half(r).length + i32(r, 'cols').length)) }),
    /"i0" skipped: mask\/delta do not fit k=8, C=24, H=64/,
  ),
  editCase(
    'duplicate column',
    (r) => ({ ...r, cols: withCol(i32(r, 'cols'), 1, i32(r, 'cols')[0]) }),
    /cols must be sorted distinct columns >= 0, bad at \[1\]/,
  ),
  editCase('negative column', (r) => ({ ...r, cols: withCol(i32(r, 'cols'), 0, -1) }), /bad at \[0\] = -1/),
  editCase(
    'column out of range',
    (r) => ({ ...r, cols: withCol(i32(r, 'cols'), i32(r, 'cols').length - 1, 64) }),
    /"i0" skipped: mask\/delta do not fit/,
  ),
  editCase(
    'mask truncated (k - 1, delta to match)',
    (r) => {
      const k = i32(r, 'cols').length;
      return { ...r, cols: i32(r, 'cols').slice(1), delta: f16(half(r).filter((_, i) => i % k !== 0)) };
    },
    /"i0" skipped: mask\/delta do not fit k=8/,
  ),
  editCase('cols a plain array', (r) => ({ ...r, cols: [...i32(r, 'cols')] }), /cols is not a Int32Array/),
  editCase('slot -1', (r) => ({ ...r, slot: -1 }), null),
  editCase('slot a string', (r) => ({ ...r, slot: '2' }), null),
  editCase('slot of another edit', (r) => ({ ...r, slot: 2 }), null),
  editCase('prompt a number', (r) => ({ ...r, prompt: 7 }), /prompt is not a string/),
  editCase('loss NaN', (r) => ({ ...r, loss: NaN }), /loss is not a finite number/),
  editCase(
    'nothing but its key',
    (r) => ({ modelId: r.modelId, editId: r.editId }),
    /"i0".*prompt is not a string; target is not a string; cols is not a Int32Array/,
  ),
  {
    name: 'edit record: missing',
    corrupt: (p) => p.remove('memoirEdits', [p.store.model.id, 'i0']),
    inForce: NOT_I0,
    problems: [/memory of toy-.* was not the sum of its 2 stored edits/],
    notInForce: ['i0'],
  },
  {
    name: 'listed edit record: wrong method',
    corrupt: async (p) => {
      const { id, prompt, target } = { id: 'i0', ...FACTS[0] };
      await p.put('edits', { id, modelId: p.store.model.id, method: 'rome', prompt, target, createdAt: 0 });
    },
    inForce: ALL,
    problems: [/edits record "i0" skipped \(method must be one of memoir \| serac\)/],
  },
  memoryCase('NaN in Wm', (r) => ({ ...r, wm: withValue(f32(r, 'wm'), 3, NaN) }), /wm\[3\] is NaN/),
  memoryCase('Inf in Wm', (r) => ({ ...r, wm: withValue(f32(r, 'wm'), 9, -Infinity) }), /wm\[9\] is -Inf/),
  memoryCase('Wm truncated', (r) => ({ ...r, wm: f32(r, 'wm').slice(1) }), /wm must have 1536 entries/),
  memoryCase('Wm a plain array', (r) => ({ ...r, wm: [...f32(r, 'wm')] }), /wm is not a Float32Array/),
  memoryCase('C a string', (r) => ({ ...r, C: '24' }), /C must be a positive integer/),
  memoryCase(
    "another model's dims under the same id",
    (r) => ({ ...r, C: 32, wm: new Float32Array(32 * 64) }),
    /memory record of toy-.* is \(C, H\)=\(32, 64\), the loaded model's is \(24, 64\)/,
  ),
  memoryCase(
    'config from an older schema (no τ)',
    (r) => ({ ...r, config: without(config(r), 'tau') }),
    /config.tau is missing \(an older record\): migrated to 0.53/,
  ),
  memoryCase(
    'τ a string',
    (r) => ({ ...r, config: { ...config(r), tau: '0.6' } }),
    /config.tau = "0.6" is invalid: 0.53 is used/,
  ),
  memoryCase(
    'τ above 1',
    (r) => ({ ...r, config: { ...config(r), tau: 1.5 } }),
    /config.tau = 1.5 is invalid/,
  ),
  memoryCase(
    'k a string',
    (r) => ({ ...r, config: { ...config(r), k: '8' } }),
    /config.k = "8" is invalid: 8/,
  ),
  memoryCase('config missing', (r) => without(r, 'config'), /config.layer is missing.*config.tau is missing/),
  memoryCase(
    'τ kept when another field is bad',
    (r) => ({ ...r, config: { ...config(r), tau: 0.7, pooling: 'max' } }),
    /config.pooling = "max" is invalid/,
    0.7,
  ),
  {
    name: 'memory record: missing',
    corrupt: (p) => p.remove('memoirMemory', p.store.model.id),
    inForce: ALL,
    problems: [REBUILT],
  },
  {
    name: 'memory record: null',
    corrupt: (p) => p.put('memoirMemory', { modelId: p.store.model.id, wm: null }),
    inForce: ALL,
    problems: [/memoirMemory record .* skipped/, REBUILT],
  },
  {
    name: 'memory record: a deleted edit left in Wm (ghost)',
    corrupt: (p) => p.put('memoirMemory', { ...memoirMemoryRecord(four) }),
    inForce: ALL,
    problems: [/was not the sum of its 3 stored edits .* rebuilt from them/],
  },
  {
    name: 'memory record: an edit missing from Wm (dead)',
    corrupt: async (p) => {
      const store = await tabStore();
      stores.push(store);
      const two = await store.trained(FACTS.slice(0, 2), 'i');
      await p.put('memoirMemory', { ...memoirMemoryRecord(two) });
    },
    inForce: ALL,
    problems: [/was not the sum of its 3 stored edits/],
  },
];

function without(r: Raw, field: string): Raw {
  return Object.fromEntries(Object.entries(r).filter(([key]) => key !== field));
}

function withCol(a: Int32Array, i: number, v: number): Int32Array {
  return Int32Array.from(a, (x, j) => (j === i ? v : x));
}

describe('a store with one corrupt record', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const p = await planted();
      await c.corrupt(p);
      const tab = await p.store.open(); // the editor starts
      const { editor, problems, notInForce } = tab.state;
      const held = editor.edits();
      expect(held.map((e) => e.editId).sort()).toEqual(c.inForce);
      if (c.problems.length === 0) expect(problems).toEqual([]);
      else for (const why of c.problems) expect(problems).toContainEqual(expect.stringMatching(why));
      expect([...notInForce.keys()]).toEqual(c.notInForce ?? []);
      expect(editor.config.tau).toBe(c.tau ?? 0.53);
      const { wm, C, H } = editor.snapshot();
      expect(wm.every(Number.isFinite)).toBe(true);
      expect(matchesEdits(wm, C, H, held)).toBe(true);
      const model = p.store.model;
      for (const e of held) expect(model.decode(await editor.greedy(e.prompt, 1))).toBe(e.target.trim());
      // And the tab goes on: a change writes a store that loads with the same edits in force.
      await tab.setTau(0.6);
      const next = (await p.store.open()).state;
      expect(
        next.editor
          .edits()
          .map((e) => e.editId)
          .sort(),
      ).toEqual(c.inForce);
      expect(matchesEdits(next.editor.snapshot().wm, C, H, next.editor.edits())).toBe(true);
    });
  }
});

describe('not finite', () => {
  it('background statistics with a NaN mean or an Inf std are reported and recomputed', async () => {
    const { name, model } = await tabStore();
    const db = await EditscopeDB.open(name);
    const first = await cachedBackgroundStats(db, model, 0, BACKGROUND);
    const raw = await openDB(name);
    const key = `${model.id}|0`;
    const stored = await raw.get('backgroundStats', key);
    for (const [field, bad] of [
      ['meanPooled', { ...stored.meanPooled, mean: withValue(stored.meanPooled.mean, 2, NaN) }],
      ['lastPooled', { ...stored.lastPooled, std: withValue(stored.lastPooled.std, 4, Infinity) }],
    ] as const) {
      await raw.put('backgroundStats', { ...stored, [field]: bad });
      const again = await cachedBackgroundStats(db, model, 0, BACKGROUND);
      expect(again.computed).toBe(true);
      expect(again.problems[0]).toMatch(new RegExp(`${field}\\.(mean\\[2\\] is NaN|std\\[4\\] is Inf)`));
      expect(again.stats).toEqual(first.stats);
    }
    raw.close();
    db.close();
  });

  it('a write that would store NaN is refused and stores nothing', async () => {
    const p = await planted();
    const db = await EditscopeDB.open(p.store.name);
    const memory = { ...memoirMemoryRecord(three), wm: withValue(three.wm, 0, NaN) };
    await expect(db.putMemoirMemory(memory)).rejects.toThrow(
      /refused to write a memoirMemory record \(wm\[0\]/,
    );
    await expect(db.deleteMemoirEdits(['i0'], memory)).rejects.toThrow(/refused/);
    db.close();
    await p.store.expectHolds(
      FACTS.slice(0, 3).map((f) => f.prompt),
      0.53,
    );
  });

  it('removing an edit whose delta is NaN leaves a finite memory and the others in force', async () => {
    const p = await planted();
    await p.put('memoirEdits', { ...p.edit('i0'), delta: f16(withBits(half(p.edit('i0')), 0, 0x7e00)) });
    const tab = await p.store.open();
    expect([...tab.state.notInForce.keys()]).toEqual(['i0']);
    await tab.delete(['i0']);
    await p.store.expectHolds(
      FACTS.slice(1, 3).map((f) => f.prompt),
      0.53,
      [tab],
    );
  });
});
