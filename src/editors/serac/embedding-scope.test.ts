// SERAC's embedding-mode scope on the sentence-embedding fixture (tests/fixtures/hub/sentence-embedding: a
// tiny BERT sentence embedder trained contrastively on the foundry's facts and corpus, in hub layout,
// built by the foundry's train_sentence_embedding.py) through transformers.js' feature-extraction pipeline
// on onnxruntime-node, from the local folder with remote loading off: the load with progress, scores in
// [0, 1] with the query itself scoring 1, batched edits scored as one at a time, edit embeddings cached and
// read back by a second scope, cancel and load errors; and that it separates: on the shipped calibration
// set (phrasings it never saw) a paraphrase scores above the prompts unrelated to its edit.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { publicDir } from '../../../tests/helpers/disk-fetch';
import { memoryCache, SENTENCE_EMBEDDING_FIXTURE } from '../../../tests/helpers/sentence-embedding';
import { counterfactualAnswer, parseCalibrationSet, unrelatedTo } from '../../eval/calibration-set';
import { EmbeddingScope } from './embedding-scope';
import { editText } from './scope';

const FIXTURE = SENTENCE_EMBEDDING_FIXTURE;
const FOLDER = join(FIXTURE.base, FIXTURE.repo);
const HIDDEN: number = JSON.parse(readFileSync(join(FOLDER, 'config.json'), 'utf8')).hidden_size;
/** Bounds for the separation test below, under what the fixture measures (pairs won 94.0%, own fact
 *  top-1 for 50.8% of paraphrases) and far above the cut encoder it replaced (48.7%, 2.1%). */
const WINS = 0.85;
const OWN_TOP1 = 0.3;

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
    const bytes = statSync(join(FOLDER, 'onnx', 'model_quantized.onnx')).size;
    expect(onnx.at(-1)).toMatchObject({ loaded: bytes, total: bytes });
  });

  it('embeds to unit length and scores in [0, 1], the query itself 1', async () => {
    const [e] = await scope.embed([QUERY]);
    expect(e.length).toBe(HIDDEN);
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

  it('scores a paraphrase of an edit above the prompts unrelated to it (shipped calibration set)', async () => {
    // Every fact of the set is an edit (its prompt with a counterfactual answer, as calibrate-scope.ts
    // stores them); each of its paraphrases is compared with each prompt that must not open it
    // (unrelatedTo: the relation's other subjects, the subject's other relations, general text), on the
    // fact's own edit. The fixture this one replaced (the bundled cross-encoder's encoder, cut) won 48.7%
    // of these pairs and routed 8 of 384 paraphrases' top-1 to their own fact.
    const set = parseCalibrationSet(
      JSON.parse(readFileSync(join(publicDir, 'calibration', 'calibration-set.json'), 'utf8')),
    );
    const edits = set.facts.map((f) => editText(f.prompt, counterfactualAnswer(set, f) ?? f.answer));
    const scored = new Map<string, Float32Array>();
    const scoresOf = async (prompt: string) => {
      if (!scored.has(prompt)) scored.set(prompt, await scope.scores(edits, prompt));
      return scored.get(prompt)!;
    };
    let wins = 0;
    let pairs = 0;
    let ownTop1 = 0;
    for (const [i, f] of set.facts.entries()) {
      const u = unrelatedTo(set, f);
      for (const paraphrase of f.paraphrases) {
        const s = await scoresOf(paraphrase);
        if (s.indexOf(Math.max(...s)) === i) ownTop1++;
        for (const prompt of [...u.sameRelation, ...u.sameSubject, ...u.text]) {
          pairs++;
          if (s[i] > (await scoresOf(prompt))[i]) wins++;
        }
      }
    }
    const paraphrases = set.facts.flatMap((f) => f.paraphrases).length;
    expect(wins / pairs).toBeGreaterThan(WINS);
    expect(ownTop1 / paraphrases).toBeGreaterThan(OWN_TOP1);
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
