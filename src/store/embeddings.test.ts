// The edit-embedding cache on fake-indexeddb: embeddings per (model, text) that survive closing and
// reopening the database, misses as undefined, a corrupt record reported as a miss and replaced by the
// next put, a refused write reported without throwing, and one model's embeddings forgotten alone.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { EditscopeDB } from './db';
import { embeddingCache } from './embeddings';

let counter = 0;
const opened: EditscopeDB[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));
async function open(name: string): Promise<EditscopeDB> {
  const db = await EditscopeDB.open(name);
  opened.push(db);
  return db;
}

const vec = (...xs: number[]) => Float32Array.from(xs);

describe('embedding cache', () => {
  it('keeps embeddings per model and text across a reopen', async () => {
    const name = `embeddings-${counter++}`;
    const first = await open(name);
    const cache = embeddingCache(first);
    await cache.put('mini|q8', [
      { text: 'France has its capital in Rome', embedding: vec(0.6, 0.8) },
      { text: 'Japan has its capital in Lima', embedding: vec(1, 0) },
    ]);
    await cache.put('other|fp32', [{ text: 'France has its capital in Rome', embedding: vec(0, 1, 0) }]);
    first.close();

    const again = embeddingCache(await open(name));
    const got = await again.get('mini|q8', [
      'Japan has its capital in Lima',
      'never embedded',
      'France has its capital in Rome',
    ]);
    expect(got).toEqual([vec(1, 0), undefined, vec(0.6, 0.8)]);
    expect(await again.get('other|fp32', ['France has its capital in Rome'])).toEqual([vec(0, 1, 0)]);
  });

  it('reports a corrupt record as a miss, and the next put replaces it', async () => {
    const name = `embeddings-${counter++}`;
    const db = await open(name);
    const problems: string[] = [];
    const cache = embeddingCache(db, (p) => problems.push(p));
    // A record as a damaged disk might leave it, written past the validator by a second connection.
    const raw = await openDB(name);
    await raw.put('embeddings', { modelId: 'm', text: 'a', embedding: vec(1, Number.NaN) });
    raw.close();
    expect(await cache.get('m', ['a'])).toEqual([undefined]);
    expect(problems).toEqual([
      expect.stringMatching(/embeddings record \["m","a"\] skipped \(embedding\[1\] is NaN/),
    ]);
    await cache.put('m', [{ text: 'a', embedding: vec(1, 0) }]);
    expect(await cache.get('m', ['a'])).toEqual([vec(1, 0)]);
  });

  it('reports a refused write, stores none of it, and does not throw', async () => {
    const db = await open(`embeddings-${counter++}`);
    const problems: string[] = [];
    const cache = embeddingCache(db, (p) => problems.push(p));
    await cache.put('m', [
      { text: 'fine', embedding: vec(1) },
      { text: 'empty', embedding: vec() },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/2 edit embedding\(s\) of m were not stored \(.*embedding is empty/),
    ]);
    expect(await cache.get('m', ['fine', 'empty'])).toEqual([undefined, undefined]);
  });

  it("forgets one model's embeddings and keeps the others'", async () => {
    const db = await open(`embeddings-${counter++}`);
    const cache = embeddingCache(db);
    await cache.put('a', [{ text: 't', embedding: vec(1) }]);
    await cache.put('b', [{ text: 't', embedding: vec(2) }]);
    await db.deleteEmbeddings('a');
    expect(await cache.get('a', ['t'])).toEqual([undefined]);
    expect(await cache.get('b', ['t'])).toEqual([vec(2)]);
  });
});
