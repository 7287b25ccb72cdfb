// SERAC's scope calibration: the threshold the 1% rule gives on a small set with a keyword scorer whose
// answer follows by hand, the strictest threshold (and the reason saying so) when no threshold keeps
// unrelated prompts out, progress and cancel, the record's validator, and the whole shipped calibration
// set through EmbeddingScope on the sentence-embedding fixture.
// Measured on the shipped set (96 facts, 384 paraphrases, 540 unrelated prompts; Node, 2 shared cores):
// the fixture (a tiny sentence embedder trained on the foundry's templates: train_sentence_embedding.py)
// routes 30.2% of paraphrases to their own fact at 0.5 where 37.8% of unrelated prompts open an edit, 4.9%
// / 9.3% at 0.7, and 0% at its 1% point, 0.805 (1 s): a few of the set's own phrasings ("The government of
// Colombia conducts its business in" for a language) score like capital questions for the foundry's
// templates, and those few outscore every paraphrase (embedding-scope.test.ts shows that paraphrases
// outscore unrelated prompts on the whole). The cut encoder it replaced: 2.1% / 99.3% at 0.5, 0% at 0.99.
// The bundled cross-encoder (ScopeClassifier) gives 10.7% / 29.1% at 0.5 and 7.0% / 12.2% at 0.99 on
// these phrasings it never saw, and its 1% point is 1.0 (75 s).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryCache, SENTENCE_EMBEDDING_FIXTURE } from '../../../tests/helpers/sentence-embedding';
import { publicDir } from '../../../tests/helpers/disk-fetch';
import { counterfactualAnswer, parseCalibrationSet, type CalibrationSet } from '../../eval/calibration-set';
import { MAX_UNRELATED_OPEN } from '../../eval/operating-point';
import { calibrateScope, isSeracCalibration, THRESHOLD_GRID, type SeracCalibration } from './calibrate-scope';
import { EmbeddingScope } from './embedding-scope';
import type { ScopeScorer } from './scope';

const fact = (relation: string, subject: string, answer: string, prompt: string, paraphrases: string[]) => ({
  id: `${relation}/${subject}`,
  relation,
  subject,
  answer,
  prompt,
  paraphrases,
});

/** Two relations of two subjects, and text. */
const SET: CalibrationSet = parseCalibrationSet({
  id: 'tiny-calibration',
  facts: [
    fact('capital', 'France', 'Paris', 'France has its capital in', [
      'What is the capital of France?',
      'The capital city of France is',
      'Ask anyone in France where the capital is:',
    ]),
    fact('capital', 'Japan', 'Tokyo', 'Japan has its capital in', [
      'What is the capital of Japan?',
      'The capital city of Japan is',
      'Ask anyone in Japan where the capital is:',
    ]),
    fact('language', 'France', 'French', 'The language of France is', [
      'What language is spoken in France?',
      'People in France speak',
      'The main language in France is called',
    ]),
    fact('language', 'Japan', 'Japanese', 'The language of Japan is', [
      'What language is spoken in Japan?',
      'People in Japan speak',
      'The main language in Japan is called',
    ]),
  ],
  text: ['The river runs to the sea.', 'A bird sang in the garden'],
});

/** 0.9 when edit and query name the same subject and relation, 0.4 when one of them, else 0.1. */
const keywords: ScopeScorer & { calls: number } = {
  calls: 0,
  async scores(edits, query) {
    this.calls++;
    const subject = (t: string) => /\b(France|Japan)\b/.exec(t)?.[1];
    const relation = (t: string) =>
      /capital/.test(t) ? 'capital' : /language|speak/.test(t) ? 'language' : null;
    return Float32Array.from(edits, (e) => {
      const same = Number(!!subject(e) && subject(e) === subject(query));
      const rel = Number(!!relation(e) && relation(e) === relation(query));
      return same + rel === 2 ? 0.9 : same + rel === 1 ? 0.4 : 0.1;
    });
  },
};

const OPTS = { modelId: 'base', scopeModel: 'keywords' };

describe('calibrateScope', () => {
  it('picks the smallest threshold above every unrelated score that keeps all paraphrases', async () => {
    const progress: number[] = [];
    const c = await calibrateScope(keywords, SET, { ...OPTS, onProgress: (p) => progress.push(p.done) });
    // Unrelated prompts score 0.4 (another subject's fact of the relation, another relation of the
    // subject) or 0.1 (text) for the edits they must not open; paraphrases 0.9 for their own.
    expect(c.threshold).toBe(0.405);
    expect(c.paraphraseOwnAtThreshold).toBe(1);
    const at = (tau: number) => c.curve.find((p) => p.tau === tau)!;
    expect(at(0.4)).toEqual({ tau: 0.4, paraphraseOwn: 1, unrelatedOpen: 16 / 18 });
    expect(at(0.1).unrelatedOpen).toBe(1);
    expect(at(0.95)).toEqual({ tau: 0.95, paraphraseOwn: 0, unrelatedOpen: 0 });
    expect(c.curve.map((p) => p.tau)).toEqual(THRESHOLD_GRID);
    expect(c.reason).toMatch(
      /at threshold 0\.405 100\.0% of 12 paraphrases .* 0\.0% of 18 unrelated prompts/,
    );
    expect(c).toMatchObject({
      version: 1,
      modelId: 'base',
      scopeModel: 'keywords',
      calibrationSet: 'tiny-calibration',
    });
    // 12 paraphrases and 4 edit prompts and 2 texts, each scored once against all 4 edits.
    expect(progress).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(isSeracCalibration(c)).toBe(true);
  });

  it('counts a paraphrase whose top-1 is another fact as not routed, whatever its score', async () => {
    const swapped: ScopeScorer = {
      // Every query prefers the edit after its own: same scores, shifted one place.
      scores: async (edits, query) => {
        const s = await keywords.scores(edits, query);
        return Float32Array.from(s, (_, i) => s[(i + edits.length - 1) % edits.length]);
      },
    };
    const c = await calibrateScope(swapped, SET, OPTS);
    expect(Math.max(...c.curve.map((p) => p.paraphraseOwn))).toBe(0);
    expect(c.reason).toMatch(/does not tell these paraphrases from unrelated prompts/);
  });

  it('takes the strictest threshold, and says so, when none keeps unrelated prompts out', async () => {
    const always: ScopeScorer = { scores: async (edits) => new Float32Array(edits.length).fill(1) };
    const c = await calibrateScope(always, SET, OPTS);
    expect(c.threshold).toBe(1);
    expect(c.curve.at(-1)!.unrelatedOpen).toBe(1);
    expect(c.reason).toMatch(/^No threshold keeps unrelated prompts at 1\.0%; the strictest one is used/);
  });

  it('stops between prompts when cancelled', async () => {
    const controller = new AbortController();
    keywords.calls = 0;
    const run = calibrateScope(keywords, SET, {
      ...OPTS,
      signal: controller.signal,
      onProgress: (p) => p.done === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(keywords.calls).toBe(3);
  });
});

describe('counterfactualAnswer', () => {
  it("gives the next answer of the fact's relation, wrapping, and null when there is none", () => {
    expect(SET.facts.map((f) => counterfactualAnswer(SET, f))).toEqual([
      'Tokyo',
      'Paris',
      'Japanese',
      'French',
    ]);
    const alone = { ...SET, facts: SET.facts.slice(0, 1) };
    expect(counterfactualAnswer(alone, alone.facts[0])).toBeNull();
  });
});

describe('isSeracCalibration', () => {
  it('accepts a record and its JSON round trip, refuses damaged ones', async () => {
    const c = await calibrateScope(keywords, SET, OPTS);
    expect(isSeracCalibration(JSON.parse(JSON.stringify(c)))).toBe(true);
    const damaged: Partial<Record<keyof SeracCalibration, unknown>>[] = [
      { version: 2 },
      { threshold: 1.5 },
      { threshold: '0.5' },
      { curve: [] },
      { curve: [{ tau: 0.5, paraphraseOwn: Number.NaN, unrelatedOpen: 0 }] },
      { paraphraseOwnAtThreshold: -0.1 },
      { reason: undefined },
      { createdAt: Number.POSITIVE_INFINITY },
    ];
    for (const change of damaged) expect(isSeracCalibration({ ...c, ...change })).toBe(false);
    expect(isSeracCalibration(null)).toBe(false);
  });
});

describe('calibrateScope on the shipped set with the sentence-embedding fixture', () => {
  it('embeds each fact once, keeps unrelated prompts out at the threshold and reports it', async () => {
    const set = parseCalibrationSet(
      JSON.parse(readFileSync(join(publicDir, 'calibration', 'calibration-set.json'), 'utf8')),
    );
    const { cache, calls } = memoryCache();
    const scope = await EmbeddingScope.load(SENTENCE_EMBEDDING_FIXTURE, { cache });
    try {
      const c = await calibrateScope(scope, set, { modelId: 'base', scopeModel: scope.id });
      expect(isSeracCalibration(c)).toBe(true);
      expect(calls.put).toHaveLength(set.facts.length); // the edits, once each; no query
      const point = c.curve.find((p) => p.tau === c.threshold)!;
      expect(point.unrelatedOpen).toBeLessThanOrEqual(MAX_UNRELATED_OPEN);
      expect(c.paraphraseOwnAtThreshold).toBe(point.paraphraseOwn);
      expect(c.reason).toContain(`of ${set.facts.flatMap((f) => f.paraphrases).length} paraphrases`);
    } finally {
      await scope.release();
    }
  });
});
