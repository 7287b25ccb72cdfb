// SERAC's edit-embedding cache in IndexedDB: the EmbeddingCache that EmbeddingScope reads and fills, over
// the embeddings store (schema v3), keyed [embedding model id, text]. A cache: an unreadable record is a
// miss (reported, then computed again and overwritten), and a failed write only costs a recomputation
// after the next reload, so it is reported and the scores go on. Not the scoring (embedding-scope.ts).
import type { EmbeddingCache } from '../editors/serac/embedding-scope';
import type { EditscopeDB } from './db';

/** `report` receives one line per unreadable record and per failed write. */
export function embeddingCache(
  db: EditscopeDB,
  report: (problem: string) => void = () => {},
): EmbeddingCache {
  return {
    async get(modelId, texts) {
      const { embeddings, problems } = await db.getEmbeddings(modelId, texts);
      problems.forEach(report);
      return embeddings;
    },
    async put(modelId, entries) {
      try {
        await db.putEmbeddings(entries.map(({ text, embedding }) => ({ modelId, text, embedding })));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report(
          `storage: ${entries.length} edit embedding(s) of ${modelId} were not stored (${message}); ` +
            'they are computed again after a reload',
        );
      }
    },
  };
}
