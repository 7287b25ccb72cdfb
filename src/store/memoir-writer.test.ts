// MemoirWriter with two "tabs" (two connections and writers on one fake IndexedDB, one lock manager):
// every pair of changes (add, delete, set τ, delete all, import a backup), the second made by a tab whose
// copy is stale or at the same time, leaves exactly the edits the two changes leave when made one after
// the other (no ghost, no dead edit) or refuses with a reason; the same for changes made while an edit
// trains in one tab; a write the storage refuses part way stores nothing and the tab holds what the
// store does; another tab's change is announced and read.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoirSnapshot } from '../editors/memoir/editor';
import type { MemoirWriter } from './memoir-writer';
import { FACTS, tabStore } from './test-tabs';

type Store = Awaited<ReturnType<typeof tabStore>>;
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const IMPORTED = FACTS.slice(4, 6);

/** Two stored edits (FACTS 0 and 1, τ 0.53), two tabs that have read them, and a backup of two other
 *  edits gated at τ 0.65. */
async function twoTabs() {
  const store = await tabStore();
  stores.push(store);
  await store.plant(await store.trained(FACTS.slice(0, 2), 'i'));
  const a = await store.open();
  const b = await store.open();
  const backup = { ...(await store.trained(IMPORTED, 'b')), config: { ...store.config, tau: 0.65 } };
  return { store, a, b, backup };
}

/** The model of the store: the prompts in force and τ. */
interface Expected {
  prompts: string[];
  tau: number;
}

/** One change as a tab makes it from what it has read, and what it does to Expected (null: refused). */
interface Op {
  name: string;
  run: (tab: MemoirWriter, who: 0 | 1, backup: MemoirSnapshot) => Promise<unknown>;
  apply: (e: Expected, seen: string[], who: 0 | 1) => Expected | null;
}

const OPS: Op[] = [
  {
    name: 'add',
    run: (tab, who) => tab.edit(FACTS[2 + who]),
    apply: (e, _seen, who) => ({ ...e, prompts: [...e.prompts, FACTS[2 + who].prompt] }),
  },
  {
    name: 'delete',
    run: (tab, who) => tab.delete(idsOf(tab, [FACTS[who].prompt])),
    apply: (e, _seen, who) => ({ ...e, prompts: e.prompts.filter((p) => p !== FACTS[who].prompt) }),
  },
  {
    name: 'set τ',
    run: (tab, who) => tab.setTau(who === 0 ? 0.6 : 0.7),
    apply: (e, _seen, who) => ({ ...e, tau: who === 0 ? 0.6 : 0.7 }),
  },
  {
    name: 'delete all',
    // The Edit view's "Delete all" sends the ids the tab lists.
    run: (tab) => tab.delete(tab.state.editor.edits().map((x) => x.editId)),
    apply: (e, seen) => ({ ...e, prompts: e.prompts.filter((p) => !seen.includes(p)) }),
  },
  {
    name: 'import',
    run: (tab, _who, backup) => tab.restore(backup, new Map(backup.edits.map((x) => [x.editId, 5]))),
    apply: (e) => (e.prompts.length === 0 ? { prompts: IMPORTED.map((f) => f.prompt), tau: 0.65 } : null),
  },
];

function idsOf(tab: MemoirWriter, prompts: string[]): string[] {
  return tab.state.editor
    .edits()
    .filter((e) => prompts.includes(e.prompt))
    .map((e) => e.editId);
}

/** Runs tab A's then tab B's change as `mode` says and checks the store against the two made in turn. */
async function interleave(opA: Op, opB: Op, mode: 'stale' | 'concurrent') {
  const { store, a, b, backup } = await twoTabs();
  const start: Expected = { prompts: FACTS.slice(0, 2).map((f) => f.prompt), tau: store.config.tau };
  const seen = start.prompts; // both tabs listed the two stored edits
  let expected = start;
  const outcome = (op: Op, who: 0 | 1, settled: PromiseSettledResult<unknown>) => {
    const next = op.apply(expected, seen, who);
    if (next === null) {
      expect(settled.status).toBe('rejected');
      expect(String((settled as PromiseRejectedResult).reason)).toMatch(/restored into an empty edit list/);
    } else {
      expect(settled).toMatchObject({ status: 'fulfilled' });
      expected = next;
    }
  };
  if (mode === 'stale') {
    const [first] = await Promise.allSettled([opA.run(a, 0, backup)]);
    outcome(opA, 0, first);
    const [second] = await Promise.allSettled([opB.run(b, 1, backup)]); // b has not read the store since
    outcome(opB, 1, second);
  } else {
    const settled = await Promise.allSettled([opA.run(a, 0, backup), opB.run(b, 1, backup)]);
    outcome(opA, 0, settled[0]);
    outcome(opB, 1, settled[1]);
  }
  await store.expectHolds(expected.prompts, expected.tau, [a, b]);
}

describe('two tabs, every pair of changes', () => {
  for (const mode of ['stale', 'concurrent'] as const) {
    for (const opA of OPS) {
      for (const opB of OPS) {
        it(`${mode}: A ${opA.name}, then B ${opB.name}`, () => interleave(opA, opB, mode));
      }
    }
  }
});

describe('changes while an edit trains in the same tab', () => {
  for (const op of OPS.filter((o) => o.name !== 'import')) {
    it(`${op.name} waits for the training edit, then applies to what it stored`, async () => {
      const { store, a, backup } = await twoTabs();
      const seen = FACTS.slice(0, 2).map((f) => f.prompt);
      const training = a.edit(FACTS[3]);
      const during = op.run(a, 0, backup);
      await Promise.all([training, during]);
      const expected = op.apply({ prompts: [...seen, FACTS[3].prompt], tau: store.config.tau }, seen, 0)!;
      await store.expectHolds(expected.prompts, expected.tau, [a]);
    });
  }

  it('a cancelled edit stores nothing and the tab holds what the store does', async () => {
    const { store, a } = await twoTabs();
    const cancel = new AbortController();
    const training = a.edit(FACTS[3], { onStep: () => cancel.abort(), signal: cancel.signal });
    const removal = a.delete(idsOf(a, [FACTS[0].prompt]));
    await expect(training).rejects.toThrow(/cancelled/);
    await removal;
    await store.expectHolds([FACTS[1].prompt], store.config.tau, [a]);
  });
});

describe('announcements', () => {
  it("a tab reads the store again after another tab's change is announced, not before", async () => {
    const { a, b } = await twoTabs();
    await a.edit(FACTS[2]);
    await new Promise((resolve) => setTimeout(resolve, 20)); // BroadcastChannel delivers in a later task
    expect((await b.fresh()).editor.edits().map((e) => e.prompt)).toContain(FACTS[2].prompt);
    const held = b.state;
    expect(await b.fresh()).toBe(held); // nothing announced since: no read
  });

  it('the first forced read after opening uses what opening read; later ones read the store', async () => {
    const { a } = await twoTabs();
    const opened = a.state;
    expect(await a.fresh(true)).toBe(opened); // a view's status right after the model loads
    expect(await a.fresh(true)).not.toBe(opened);
  });
});

describe('storage refusing a write part way', () => {
  /** Makes the next put into `store` throw QuotaExceededError, as a full disk does, after the
   *  transaction's other requests were queued. */
  function quotaOnce(store: string) {
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name !== store) return put.apply(this, args);
      proto.put = put;
      throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    };
  }

  it('an edit, a deletion or a τ change is stored whole or not at all', async () => {
    const { store, a, b } = await twoTabs();
    const prompts = FACTS.slice(0, 2).map((f) => f.prompt);
    quotaOnce('memoirMemory');
    await expect(a.edit(FACTS[2])).rejects.toThrow(/could not be stored .*quota/);
    quotaOnce('memoirMemory');
    await expect(a.delete(idsOf(a, [prompts[0]]))).rejects.toThrow(/quota/);
    quotaOnce('memoirMemory');
    await expect(a.setTau(0.9)).rejects.toThrow(/quota/);
    await store.expectHolds(prompts, store.config.tau, [a, b]);
    // And the tab goes on: the next change is stored.
    await b.edit(FACTS[3]);
    await store.expectHolds([...prompts, FACTS[3].prompt], store.config.tau, [a, b]);
  });

  it('an import cut short keeps the edits restored so far, consistent', async () => {
    const { store, a } = await twoTabs();
    await a.delete(a.state.editor.edits().map((e) => e.editId));
    const snapshot = await store.trained(FACTS.slice(2, 5), 'r');
    const put = IDBObjectStore.prototype.put;
    let memoryPuts = 0;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'memoirMemory' && ++memoryPuts === 3) {
        IDBObjectStore.prototype.put = put;
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
    const createdAt = new Map(snapshot.edits.map((e) => [e.editId, 1]));
    await expect(a.restore(snapshot, createdAt)).rejects.toThrow(/restored up to 2 of its 3 edits .*quota/);
    await store.expectHolds(
      FACTS.slice(2, 4).map((f) => f.prompt),
      store.config.tau,
      [a],
    );
  });
});
