// SERAC's embedding-mode scope on the sentence-embedding fixture (tests/fixtures/hub/sentence-embedding:
// the bundled scope model's encoder, in hub layout, built by the foundry) through transformers.js'
// feature-extraction pipeline on onnxruntime-node, from the local folder with remote loading off: the
// load with progress, scores in [0, 1] with the query itself scoring 1, batched edits scored as one at a
// time, edit embeddings cached and read back by a second scope, cancel and load errors.
// The fixture is a cross-encoder's encoder, not a trained sentence embedder: on the calibration set its
// mean-pooled embeddings put a paraphrase's own fact top-1 for 13 of 384 paraphrases (chance: 4), and
// general text scores ~0.95 against its nearest edit where a paraphrase scores ~0.78 against its own, so
// nothing here asserts that it separates paraphrases from unrelated prompts (calibrate-scope.test.ts
// measures that and reports it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { memoryCache, SENTENCE_EMBEDDING_FIXTURE } from '../../../tests/helpers/sentence-embedding';
import { EmbeddingScope } from './embedding-scope';
import { editText } from './scope';

const FIXTURE = SENTENCE_EMBEDDING_FIXTURE;

const EDITS = [
  editText('France has its capital in', 'Rome'),
  editText('Japan has its capital in', 'Lima'),
  editText('The element with atomic number 26 is', 'gold'),
];
const QUERY = 'What is the capital of France?';

describe('EmbeddingScope on the sentence-embedding fixture', () => {
  let scope: EmbeddingScope;
  const progress: { file: string; loaded: number; total: number }[] = [];
  const { cache, calls } = memoryCache();
  beforeAll(async () => {
    scope = await EmbeddingScope.load(FIXTURE, { cache, onProgress: (p) => progress.push(p) });
  });
  afterAll(() => scope.release());

  it('loads the q8 ONNX from the local folder, with per-file progress', () => {
    expect(scope.id).toBe(`${FIXTURE.base}/sentence-embedding|q8`);
    const onnx = progress.filter((p) => p.file === 'onnx/model_quantized.onnx');
    expect(onnx.at(-1)).toMatchObject({ loaded: 452308, total: 452308 });
  });

  it('embeds to unit length and scores in [0, 1], the query itself 1', async () => {
    const [e] = await scope.embed([QUERY]);
    expect(e.length).toBe(64);
    expect(Math.hypot(...e)).toBeCloseTo(1, 5);
    const scores = await scope.scores([...EDITS, QUERY], QUERY);
    expect(scores).toHaveLength(4);
    for (const s of scores) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(scores[3]).toBeCloseTo(1, 5);
    expect(Math.max(...scores.slice(0, 3))).toBeLessThan(0.999);
  });

  it('scores each edit as when it is scored alone (padding in a batch changes nothing)', async () => {
    const together = await scope.scores(EDITS, QUERY);
    const fresh = await EmbeddingScope.load(FIXTURE);
    try {
      for (const [i, edit] of EDITS.entries()) {
        expect((await fresh.scores([edit], QUERY))[0]).toBeCloseTo(together[i], 5);
      }
    } finally {
      await fresh.release();
    }
  });

  it('caches edit embeddings, not queries, and a second scope reads them instead of computing', async () => {
    expect(new Set(calls.put)).toEqual(new Set([...EDITS, QUERY])); // QUERY was an edit above
    const before = calls.put.length;
    await scope.scores(EDITS, 'Which city is the capital of Japan?');
    expect(calls.put.length).toBe(before); // known in this session: not put again
    const second = await EmbeddingScope.load(FIXTURE, { cache });
    try {
      const hits = calls.hits;
      const scores = await second.scores(EDITS, QUERY);
      expect(calls.hits - hits).toBe(EDITS.length);
      expect(calls.put.length).toBe(before);
      expect(Array.from(scores)).toEqual(Array.from(await scope.scores(EDITS, QUERY)));
    } finally {
      await second.release();
    }
  });

  it('scores nothing for an empty memory', async () => {
    expect(await scope.scores([], QUERY)).toEqual(new Float32Array(0));
  });
});

describe('EmbeddingScope.load refusals', () => {
  it('is cancelled by an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const load = EmbeddingScope.load(FIXTURE, { signal: controller.signal });
    await expect(load).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('names the model and the dtype when there is no such model', async () => {
    const load = EmbeddingScope.load({ ...FIXTURE, repo: 'no-such-model' }, { dtype: 'q8' });
    await expect(load).rejects.toBeInstanceOf(EngineError);
    await expect(load).rejects.toThrow(/could not load .*no-such-model \(dtype q8\)/);
  });

  it('names the dtype whose ONNX file the model lacks', async () => {
    await expect(EmbeddingScope.load(FIXTURE, { dtype: 'fp32' })).rejects.toThrow(
      /sentence-embedding \(dtype fp32\) as a sentence-embedding model/,
    );
  });
});
