// The calibration figure's data: every candidate's curve once (the paper preset's added when it is no
// candidate), roles by label, and the marked points: chosen and paper apart, or one point when the
// calibration kept the paper preset itself.
import { describe, expect, it } from 'vitest';
import type { CandidateResult, MemoirCalibration } from '../../editors/memoir/calibration';
import { defaultMemoirConfig } from '../../editors/memoir/config';
import { chosenCandidate, curvePoints, markedPoints } from './CalibrationPlot';

const dims = { layers: 4, H: 2048 };
const curve = [
  { tau: 0.4, paraphraseOwn: 0.9, unrelatedOpen: 0.3 },
  { tau: 0.6, paraphraseOwn: 0.7, unrelatedOpen: 0.01 },
];
const last: CandidateResult = {
  layer: 2,
  k: 256,
  pooling: 'last',
  normalize: 'zscore',
  label: 'layer 2 · k 256 · last token, z-score',
  curve,
  tau: 0.6,
  paraphraseOwnAtTau: 0.7,
};
const paperResult: CandidateResult = {
  ...last,
  layer: 3,
  k: 585,
  pooling: 'mean',
  normalize: 'center',
  label: 'layer 3 · k 585 · mean, centred',
};
const record: MemoirCalibration = {
  version: 1,
  modelId: 'm',
  precision: 'f32',
  calibrationSet: 'set',
  createdAt: 0,
  candidates: [last],
  chosen: { ...defaultMemoirConfig(dims, 'last-zscore'), tau: 0.6 },
  chosenLabel: last.label,
  paper: defaultMemoirConfig(dims, 'paper'),
  paperResult,
  trials: [],
  reason: '',
};

describe('CalibrationPlot data', () => {
  it('draws each curve once on both panels, the paper preset added', () => {
    const points = curvePoints(record);
    expect(points).toHaveLength(2 * 2 * 2);
    expect(new Set(points.map((p) => `${p.candidate}|${p.role}`))).toEqual(
      new Set([`${last.label}|chosen`, `${paperResult.label}|paper preset`]),
    );
    const withPaper = { ...record, candidates: [last, paperResult] };
    expect(curvePoints(withPaper)).toHaveLength(2 * 2 * 2);
  });

  it('marks the chosen point and the paper point apart', () => {
    expect(chosenCandidate(record)).toBe(last);
    expect(markedPoints(record).map((m) => [m.text, m.value])).toEqual([
      ['chosen: τ 0.6', 0.7],
      ['chosen: τ 0.6', 0.01],
      ['paper: τ 0.4', 0.9],
      ['paper: τ 0.4', 0.3],
    ]);
  });

  it('marks one point when the calibration kept the paper preset', () => {
    const kept = { ...record, chosen: record.paper, chosenLabel: paperResult.label };
    expect(chosenCandidate(kept)).toBe(paperResult);
    expect(markedPoints(kept).map((m) => m.text)).toEqual(['chosen = paper: τ 0.4', 'chosen = paper: τ 0.4']);
  });
});
