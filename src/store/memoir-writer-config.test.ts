// MemoirWriter.startWith (the preset chosen for a model): an empty memory takes the new config at once and
// stores it, so the next edit trains with its k and pooling and another tab reads it; a memory with edits
// keeps the config they were trained with, until every edit is deleted.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { FACTS, tabStore } from './test-tabs';

type Store = Awaited<ReturnType<typeof tabStore>>;
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

async function store(): Promise<Store> {
  const s = await tabStore();
  stores.push(s);
  return s;
}

describe('MemoirWriter.startWith', () => {
  it('gives an empty memory the new config, stored and trained with', async () => {
    const s = await store();
    const tab = await s.open();
    const next = { ...s.config, k: s.config.k * 2, pooling: 'mean', normalize: 'center', tau: 0.4 } as const;
    expect(await tab.startWith(next)).toBe(true);
    expect(tab.state.editor.config).toEqual(next);
    expect((await s.open()).state.editor.config).toEqual(next);
    const { edit } = await tab.edit(FACTS[0]);
    expect(edit.cols).toHaveLength(next.k);
    await s.expectHolds([FACTS[0].prompt], 0.4, [tab]);
  });

  it('leaves a memory with edits as it is, and applies after they are all deleted', async () => {
    const s = await store();
    await s.plant(await s.trained(FACTS.slice(0, 2)));
    const tab = await s.open();
    const next = { ...s.config, k: s.config.k * 2, tau: 0.7 };
    expect(await tab.startWith(next)).toBe(false);
    expect(tab.state.editor.config).toEqual(s.config);
    await s.expectHolds(
      FACTS.slice(0, 2).map((f) => f.prompt),
      s.config.tau,
      [tab],
    );
    await tab.delete(tab.state.editor.edits().map((e) => e.editId));
    expect(await tab.startWith(next)).toBe(true);
    expect((await s.open()).state.editor.config).toEqual(next);
  });
});
