// The sentence-embedding fixture (tests/fixtures/hub/sentence-embedding, a tiny sentence embedder trained
// by the foundry's train_sentence_embedding.py) as a local model source, and an in-memory EmbeddingCache
// that counts what goes through it, for the tests of SERAC's embedding-mode scope.
import { join } from 'node:path';
import type { EmbeddingCache } from '../../src/editors/serac/embedding-scope';

export const SENTENCE_EMBEDDING_FIXTURE = {
  kind: 'local',
  base: join(import.meta.dirname, '..', 'fixtures', 'hub'),
  repo: 'sentence-embedding',
} as const;

/** An EmbeddingCache in a Map; `calls` counts gets, hits and the texts put. */
export function memoryCache() {
  const stored = new Map<string, Float32Array>();
  const calls = { get: 0, hits: 0, put: [] as string[] };
  const cache: EmbeddingCache = {
    get: async (modelId, texts) => {
      calls.get++;
      return texts.map((t) => {
        const e = stored.get(`${modelId}|${t}`);
        if (e) calls.hits++;
        return e;
      });
    },
    put: async (modelId, entries) => {
      for (const { text, embedding } of entries) {
        stored.set(`${modelId}|${text}`, embedding);
        calls.put.push(text);
      }
    },
  };
  return { cache, calls };
}
