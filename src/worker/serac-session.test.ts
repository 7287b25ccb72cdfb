// SeracSession for a base model with no companions trained for it (CPU backend, fake-indexeddb, the
// shipped calibration set from disk; the hub sentence-embedding model stands in as a word-overlap scorer,
// its own tests being embedding-scope.test.ts): the companions named before anything loads, a cancelled
// calibration storing nothing, the first SERAC call calibrating and storing the threshold (with
// progress), the user's threshold winning over it, the edit-embedding cache in IndexedDB, other picks.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../engine/cpu/backend';
import { createBackend } from '../engine/backend';
import type { EmbeddingCache } from '../editors/serac/embedding-scope';
import type { Transformer } from '../engine/model/transformer';
import type { PreTrainedTokenizer } from '../models/tokenizer';
import { EditscopeDB } from '../store/db';
import { diskFetch } from '../../tests/helpers/disk-fetch';
import { tinyModel } from '../../tests/helpers/tiny-model';
import { SCOPE_CALIBRATION_LABEL, SeracSession } from './serac-session';
import type { CallContext } from './serve';

/** Word-overlap (Jaccard) of edit and query: a scorer in [0, 1] that knows nothing of facts. */
const loads = vi.hoisted(() => [] as { repo: string; cache?: EmbeddingCache }[]);
vi.mock('../editors/serac/embedding-scope', () => ({
  EmbeddingScope: {
    load: async (source: { repo: string }, opts: { cache?: EmbeddingCache }) => {
      loads.push({ repo: source.repo, cache: opts.cache });
      const words = (t: string) => new Set(t.toLowerCase().match(/\w+/g));
      return {
        scores: async (edits: readonly string[], query: string) => {
          const q = words(query);
          return Float32Array.from(edits, (e) => {
            const w = words(e);
            const shared = [...w].filter((x) => q.has(x)).length;
            return shared / (w.size + q.size - shared);
          });
        },
        release: async () => {},
      };
    },
  },
}));

const SOURCE = { kind: 'hub', repo: 'someone/tiny-base' } as const;
/** Enough of a tokenizer for the base model's codec (no chat template: the plain in-context form). */
const tokenizer = {
  encode: (text: string) => [0, ...Array.from(text, (c) => c.charCodeAt(0) % 64)],
  decode: () => 'x',
} as unknown as PreTrainedTokenizer;

let counter = 0;
let model: Transformer;
let db: EditscopeDB;
beforeEach(async () => {
  vi.stubGlobal('fetch', diskFetch); // the calibration set, as the app serves it
  model = await tinyModel(await createBackend('cpu'), { V: 64 });
  db = await EditscopeDB.open(`serac-session-test-${counter++}`);
  loads.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
  db.close();
});

function session() {
  const s = new SeracSession(async () => db);
  s.attach(SOURCE, model, tokenizer, 'f32');
  return s;
}

function context(signal = new AbortController().signal) {
  const labels = new Set<string>();
  const ctx: CallContext = { signal, progress: (p) => labels.add(p.label), token: () => {} };
  return { ctx, labels };
}

describe('SeracSession on a base model without trained companions', () => {
  it('names a hub embedding scope and the base itself in context, uncalibrated, before loading anything', async () => {
    const t = await session().threshold();
    expect(t).toMatchObject({
      threshold: null,
      source: 'uncalibrated',
      defaultThreshold: null,
      calibration: null,
    });
    expect(t.companions.scope).toMatchObject({ kind: 'embedding', model: 'Xenova/all-MiniLM-L6-v2' });
    expect(t.companions.counterfactual).toMatchObject({ kind: 'in-context', model: null });
    expect(loads).toEqual([]);
  });

  it('stores nothing when the calibration is cancelled', async () => {
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const s = session();
    const run = s.calibrate({}, { ...ctx, progress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await s.threshold()).toMatchObject({ threshold: null, source: 'uncalibrated' });
  });

  it('calibrates on the first SERAC call and stores it; the user threshold wins; the cache is IndexedDB', async () => {
    const s = session();
    const { ctx, labels } = context();
    const { routing } = await s.compare({ prompt: 'The capital of France is', maxTokens: 2 }, ctx);
    expect(labels).toContain(SCOPE_CALIBRATION_LABEL);
    const t = await s.threshold();
    expect(t.source).toBe('calibrated');
    expect(t.threshold).toBe(t.calibration!.threshold);
    expect(routing.threshold).toBe(t.threshold);
    expect(t.calibration!.reason).toMatch(/paraphrases/);
    // A new session over the same storage (a reload) finds it without calibrating.
    const again = session();
    expect((await again.threshold()).threshold).toBe(t.threshold);
    await again.compare({ prompt: 'x', maxTokens: 1 }, context().ctx);
    expect(loads).toHaveLength(2);
    // Embeddings put through the scope model's cache land in IndexedDB.
    await loads[0].cache!.put('m|q8', [
      { text: 'The capital of France is Rome', embedding: Float32Array.of(1, 2) },
    ]);
    expect((await db.getEmbeddings('m|q8', ['The capital of France is Rome'])).embeddings[0]).toEqual(
      Float32Array.of(1, 2),
    );
    const user = await again.setThreshold({ threshold: 0.3 });
    expect(user).toMatchObject({ threshold: 0.3, source: 'user', defaultThreshold: t.threshold });
  });

  it('takes other companions, refusing a name that is no model', async () => {
    const s = session();
    const picked = await s.setCompanions({ scopeModel: 'someone/embedder', counterfactualModel: 'base' });
    expect(picked.companions.scope).toMatchObject({
      model: 'someone/embedder',
      reason: expect.stringMatching(/^you chose/),
    });
    expect(picked.companions.counterfactual).toMatchObject({
      kind: 'in-context',
      reason: expect.stringMatching(/^you chose/),
    });
    expect(picked.source).toBe('uncalibrated'); // calibrated per scope model
    await expect(s.setCompanions({ scopeModel: 'not a repo' })).rejects.toThrow(/neither a hub repo id/);
    expect((await s.threshold()).companions.picks).toEqual({
      scopeModel: 'someone/embedder',
      counterfactualModel: 'base',
    });
  });
});
