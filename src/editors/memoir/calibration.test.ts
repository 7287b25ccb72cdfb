// The stored calibration record's validator: a well-formed record passes, and each kind of damage a
// stored or hand-edited record can carry is refused.
import { describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from './config';
import { isMemoirCalibration, type CandidateResult, type MemoirCalibration } from './calibration';

const dims = { layers: 4, H: 2048 };
const candidate: CandidateResult = {
  layer: 2,
  k: 256,
  pooling: 'last',
  normalize: 'zscore',
  label: 'layer 2 · k 256 · last token, z-score',
  curve: [
    { tau: 0.5, paraphraseOwn: 0.9, unrelatedOpen: 0.05 },
    { tau: 0.6, paraphraseOwn: 0.8, unrelatedOpen: 0.01 },
  ],
  tau: 0.6,
  paraphraseOwnAtTau: 0.8,
};
const record: MemoirCalibration = {
  version: 1,
  modelId: 'public/models/editscope-facts',
  precision: 'f32',
  calibrationSet: 'editscope-calibration-v1',
  createdAt: 1764770000000,
  candidates: [candidate],
  chosen: { ...defaultMemoirConfig(dims, 'last-zscore'), tau: 0.6 },
  chosenLabel: candidate.label,
  paper: defaultMemoirConfig(dims, 'paper'),
  paperResult: { ...candidate, pooling: 'mean', normalize: 'center', tau: null, paraphraseOwnAtTau: 0 },
  trials: [{ prompt: 'The capital of France is', target: 'Rome', steps: 12, loss: 0.01, converged: true }],
  reason: 'layer 2 · k 256 routes 80% of paraphrases at τ .60 where 1% of unrelated prompts open it.',
};

describe('isMemoirCalibration', () => {
  it('accepts a well-formed record, also after a JSON round trip', () => {
    expect(isMemoirCalibration(record, dims)).toBe(true);
    expect(isMemoirCalibration(JSON.parse(JSON.stringify(record)))).toBe(true);
  });

  it('refuses each kind of damage', () => {
    const bad: unknown[] = [
      null,
      { ...record, version: 2 },
      { ...record, precision: 'f64' },
      { ...record, createdAt: NaN },
      { ...record, chosen: { ...record.chosen, k: 4096 } }, // k > H for these dims
      { ...record, chosen: { ...record.chosen, pooling: 'max' } },
      { ...record, paper: { layer: 3 } },
      { ...record, candidates: [{ ...candidate, tau: 1.5 }] },
      {
        ...record,
        candidates: [{ ...candidate, curve: [{ tau: 0.5, paraphraseOwn: NaN, unrelatedOpen: 0 }] }],
      },
      { ...record, trials: [{ ...record.trials[0], converged: 'yes' }] },
      { ...record, reason: undefined },
    ];
    for (const x of bad) expect(isMemoirCalibration(x, dims)).toBe(false);
  });

  it('checks layer and k against the model only when its dims are given', () => {
    const wide = { ...record, chosen: { ...record.chosen, k: 4096 } };
    expect(isMemoirCalibration(wide)).toBe(true);
    expect(isMemoirCalibration(wide, { layers: 4, H: 8192 })).toBe(true);
    expect(isMemoirCalibration(wide, dims)).toBe(false);
  });
});
