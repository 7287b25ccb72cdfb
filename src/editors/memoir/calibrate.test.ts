// MEMOIR calibration: the candidate grid, the choice rule on synthetic curves, and on the bundled
// editscope-facts (CPU backend) the choice the shipped record holds, made again by the same code, and a
// cancelled calibration that rejects with CANCELLED.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCalibrationSet } from '../../eval/calibration-set';
import type { RoutingPoint } from '../../eval/operating-point';
import { loadEditable, readBackground, type Loaded } from '../../../tools/eval/load';
import {
  calibrateMemoir,
  candidateKs,
  candidateLayers,
  candidateResult,
  MIN_PARAPHRASE_OWN,
  rankCandidates,
  TAU_GRID,
} from './calibrate';
import { isMemoirCalibration, type MemoirCalibration } from './calibration';
import { defaultMemoirConfig } from './config';

const root = resolve(__dirname, '..', '..', '..');
const readJson = (...path: string[]) => JSON.parse(readFileSync(join(root, ...path), 'utf8'));

/** A curve where paraphraseOwn falls linearly from `own0` and unrelatedOpen reaches 0 at `shut`. */
function curve(own0: number, shut: number): RoutingPoint[] {
  return TAU_GRID.map((tau) => ({
    tau,
    paraphraseOwn: Math.max(0, own0 * (1 - tau)),
    unrelatedOpen: Math.max(0, (shut - tau) / shut),
  }));
}

describe('calibration candidates and the choice rule', () => {
  it('spans the upper half of the stack (at most 4 layers) and four k', () => {
    expect(candidateLayers(4)).toEqual([2, 3]);
    expect(candidateLayers(1)).toEqual([0]);
    expect(candidateLayers(30)).toEqual([15, 20, 24, 29]);
    expect(candidateKs(2048)).toEqual([128, 256, 512, 585]);
    expect(candidateKs(14336)).toEqual([896, 1792, 3584, 4096]);
  });

  it('picks the most paraphrases at the 1% point, ties to the smaller k, then to the paper variant', () => {
    const last = { pooling: 'last', normalize: 'zscore' } as const;
    const mean = { pooling: 'mean', normalize: 'center' } as const;
    const early = candidateResult({ layer: 2, k: 256, ...last }, curve(1, 0.5)); // shuts at .50
    const late = candidateResult({ layer: 3, k: 128, ...last }, curve(1, 0.7)); // shuts at .70
    const never = candidateResult({ layer: 3, k: 512, ...last }, curve(1, 2)); // opens everywhere
    expect(early.tau).toBeCloseTo(0.5, 9);
    expect(early.paraphraseOwnAtTau).toBeCloseTo(0.5, 9);
    expect(never.tau).toBeNull();
    expect(never.paraphraseOwnAtTau).toBe(0);
    expect(rankCandidates([late, never, early]).map((c) => c.label)).toEqual([early.label, late.label]);
    const smallerK = candidateResult({ layer: 3, k: 128, ...last }, curve(1, 0.5));
    expect(rankCandidates([early, smallerK])[0]).toBe(smallerK);
    const paperVariant = candidateResult({ layer: 3, k: 256, ...mean }, curve(1, 0.5));
    expect(rankCandidates([early, paperVariant])[0]).toBe(paperVariant);
    expect(paperVariant.label).toBe('layer 3 · k 256 · mean, centred');
    expect(early.label).toBe('layer 2 · k 256 · last token, z-score');
  });
});

describe('the shipped calibration of editscope-facts', () => {
  const shipped = readJson('public', 'models', 'editscope-facts', 'memoir-calibration.json');
  const dims = { layers: 4, H: 2048 };

  it('is a valid record of the bundled model at f32 on the shipped set', () => {
    expect(isMemoirCalibration(shipped, dims)).toBe(true);
    expect(shipped).toMatchObject({ modelId: '/models/editscope-facts', precision: 'f32' });
    expect(shipped.calibrationSet).toBe(readJson('public', 'calibration', 'calibration-set.json').id);
    expect(shipped.paper).toEqual(defaultMemoirConfig(dims, 'paper'));
  });

  it('holds the choice the rule makes from its own curves', () => {
    const c = shipped as MemoirCalibration;
    for (const x of c.candidates) expect(candidateResult(x, [...x.curve])).toEqual(x);
    const eligible = rankCandidates(c.candidates).filter((x) => x.paraphraseOwnAtTau >= MIN_PARAPHRASE_OWN);
    if (eligible.length > 0) {
      // The best router unless its trial edits failed (the reason then says it was passed over).
      expect(eligible.map((x) => x.label)).toContain(c.chosenLabel);
      expect(c.chosen.tau).toBe(eligible.find((x) => x.label === c.chosenLabel)!.tau);
    } else {
      // The set does not tell the candidates apart on this model: the app's preset for it is kept.
      expect(c.chosen).toEqual(defaultMemoirConfig(dims, 'last-zscore'));
      expect(c.reason).toMatch(/so the model's preset is kept/);
    }
  });
});

// The full set on the bundled model takes about 70 s of CPU (2 layers × 660 prompts, then 3 trial edits;
// `npx tsx tools/eval/calibrate.ts` remakes the shipped record from it), so these run on a subset.
describe('calibrateMemoir on the bundled editscope-facts (cpu), a subset of the set', () => {
  let loaded: Loaded;
  const full = parseCalibrationSet(readJson('public', 'calibration', 'calibration-set.json'));
  const background = readBackground(join(root, 'public', 'benchmarks', 'background-prompts.json')).slice(
    0,
    16,
  );
  /** Two relations' facts (12 each) and a third of the general text. */
  const relations = [...new Set(full.facts.map((f) => f.relation))].slice(0, 2);
  const set = {
    ...full,
    facts: full.facts.filter((f) => relations.includes(f.relation)),
    text: full.text.slice(0, 20),
  };
  beforeAll(async () => {
    loaded = await loadEditable(join(root, 'public', 'models', 'editscope-facts'), 'cpu', 'f32');
  });
  afterAll(() => loaded.close());

  it(
    'measures every candidate and the paper preset and chooses by the rule',
    { timeout: 300_000 },
    async () => {
      const stages = new Set<string>();
      const fallback = defaultMemoirConfig(loaded.model.dims, 'last-zscore');
      const c = await calibrateMemoir(loaded.model, set, background, {
        precision: 'f32',
        fallback,
        onProgress: (p) => stages.add(p.stage),
      });
      expect(isMemoirCalibration(c, loaded.model.dims)).toBe(true);
      expect([...stages]).toEqual(['features', 'trials']);
      expect(c.candidates.map((x) => x.label)).toHaveLength(16); // layers 2, 3 × 4 k × 2 variants
      expect(c.paperResult.label).toBe('layer 3 · k 585 · mean, centred');
      expect(c.candidates).toContainEqual(c.paperResult);
      expect(c.trials).toHaveLength(3);
      for (const x of c.candidates) {
        expect(x.curve.map((p) => p.tau)).toEqual(TAU_GRID);
        // Raising τ never routes more paraphrases nor opens the memory for more unrelated prompts.
        for (let i = 1; i < x.curve.length; i++) {
          expect(x.curve[i].paraphraseOwn).toBeLessThanOrEqual(x.curve[i - 1].paraphraseOwn);
          expect(x.curve[i].unrelatedOpen).toBeLessThanOrEqual(x.curve[i - 1].unrelatedOpen);
        }
      }
      const eligible = rankCandidates(c.candidates).filter((x) => x.paraphraseOwnAtTau >= MIN_PARAPHRASE_OWN);
      if (eligible.length === 0) expect(c.chosen).toEqual(fallback);
      else expect(eligible.slice(0, 3).map((x) => x.label)).toContain(c.chosenLabel);
      expect(c.reason).toContain(c.chosenLabel);
    },
  );

  it(
    'rejects with CANCELLED when cancelled, in the measurement and in the trial edits',
    { timeout: 300_000 },
    async () => {
      const small = { ...set, facts: set.facts.slice(0, 6), text: set.text.slice(0, 4) };
      for (const stage of ['features', 'trials'] as const) {
        const controller = new AbortController();
        const run = calibrateMemoir(loaded.model, small, background, {
          precision: 'f32',
          signal: controller.signal,
          onProgress: (p) => p.stage === stage && controller.abort(),
        });
        await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      }
    },
  );
});
