// The MEMOIR calibration record (CALIBRATION.md): the routing curves of each candidate configuration on
// the calibration set, the configuration chosen by the 1% rule, the paper preset measured beside it, trial
// edits, and the reason in words; plus the validator for a stored record. Not the measurement (calibrate.ts).

import { isRoutingPoint, type RoutingPoint } from '../../eval/operating-point';
import type { WeightPrecision } from '../../engine/quantize';
import { validateMemoirConfig, type MemoirConfig, type Normalize, type Pooling } from './config';

export type { RoutingPoint } from '../../eval/operating-point';
export { MAX_UNRELATED_OPEN } from '../../eval/operating-point';

export interface CandidateResult {
  readonly layer: number;
  readonly k: number;
  readonly pooling: Pooling;
  readonly normalize: Normalize;
  /** "layer 2 · k 256 · last token, z-score" */
  readonly label: string;
  /** Over the τ grid. */
  readonly curve: readonly RoutingPoint[];
  /** Smallest τ of the grid where unrelatedOpen <= MAX_UNRELATED_OPEN (0.01); null when none. */
  readonly tau: number | null;
  /** 0 when tau is null. */
  readonly paraphraseOwnAtTau: number;
}

/** One edit of the calibration set trained at the chosen configuration in a scratch memory. */
export interface TrialEdit {
  readonly prompt: string;
  readonly target: string;
  readonly steps: number;
  readonly loss: number;
  readonly converged: boolean;
}

export interface MemoirCalibration {
  readonly version: 1;
  /** describeSource(source): repo@revision or the bundled path. */
  readonly modelId: string;
  readonly precision: WeightPrecision;
  /** CalibrationSet.id */
  readonly calibrationSet: string;
  readonly createdAt: number;
  readonly candidates: readonly CandidateResult[];
  /** Full config, tau included. */
  readonly chosen: MemoirConfig;
  readonly chosenLabel: string;
  /** defaultMemoirConfig(dims, 'paper') */
  readonly paper: MemoirConfig;
  /** The paper preset measured on the same set (its own τ 0.4 point is on its curve). */
  readonly paperResult: CandidateResult;
  readonly trials: readonly TrialEdit[];
  /** Why, in words, with the numbers. */
  readonly reason: string;
}

const PRECISIONS: readonly WeightPrecision[] = ['f32', 'f16', 'q8', 'q4'];

type Rec = Record<string, unknown>;
const isObject = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFraction = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
const isInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;

function isCandidate(x: unknown): boolean {
  return (
    isObject(x) &&
    isInt(x.layer) &&
    isInt(x.k) &&
    (x.pooling === 'mean' || x.pooling === 'last') &&
    (x.normalize === 'center' || x.normalize === 'zscore') &&
    typeof x.label === 'string' &&
    Array.isArray(x.curve) &&
    x.curve.every(isRoutingPoint) &&
    (x.tau === null || isFraction(x.tau)) &&
    isFraction(x.paraphraseOwnAtTau)
  );
}

function isTrial(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x.prompt === 'string' &&
    typeof x.target === 'string' &&
    isInt(x.steps) &&
    typeof x.loss === 'number' &&
    Number.isFinite(x.loss) &&
    typeof x.converged === 'boolean'
  );
}

/** validateMemoirConfig against the model's dims when known, else its field checks with no upper bound
 *  on layer and k. */
function isConfig(x: unknown, dims?: { layers: number; H: number }): boolean {
  if (!isObject(x) || !Array.isArray(x.prefixWords)) return false;
  try {
    validateMemoirConfig(x as unknown as MemoirConfig, dims ?? { layers: Infinity, H: Infinity });
    return true;
  } catch {
    return false;
  }
}

/** Whether `x` is a calibration record this version reads: every field of the right type, numbers
 *  finite, fractions in [0, 1], and both configs valid (for `dims` when given: a record made for another
 *  model shape is refused). */
export function isMemoirCalibration(
  x: unknown,
  dims?: { layers: number; H: number },
): x is MemoirCalibration {
  return (
    isObject(x) &&
    x.version === 1 &&
    typeof x.modelId === 'string' &&
    PRECISIONS.includes(x.precision as WeightPrecision) &&
    typeof x.calibrationSet === 'string' &&
    typeof x.createdAt === 'number' &&
    Number.isFinite(x.createdAt) &&
    Array.isArray(x.candidates) &&
    x.candidates.every(isCandidate) &&
    isConfig(x.chosen, dims) &&
    typeof x.chosenLabel === 'string' &&
    isConfig(x.paper, dims) &&
    isCandidate(x.paperResult) &&
    Array.isArray(x.trials) &&
    x.trials.every(isTrial) &&
    typeof x.reason === 'string'
  );
}
