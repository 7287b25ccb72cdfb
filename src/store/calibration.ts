// MEMOIR's stored calibration choices, in the settings store: a model's calibration record per precision
// (editors/memoir/calibration.ts, made by calibrate.ts) and which preset a new memory of the model takes.
// A stored value that is not a calibration record (or one made for another model or precision) is
// reported and ignored, never used and never deleted. Not the measurement nor the config it leads to.
import { isMemoirCalibration, type MemoirCalibration } from '../editors/memoir/calibration';
import type { WeightPrecision } from '../engine/quantize';
import type { EditscopeDB } from './db';

/** Which configuration a new memory of a model starts with: the model's calibration, or the paper's
 *  values scaled to its width (defaultMemoirConfig(dims, 'paper')). */
export type MemoirPresetChoice = 'calibrated' | 'paper';

export function memoirCalibrationKey(modelId: string, precision: WeightPrecision): string {
  return `memoir.calibration|${modelId}|${precision}`;
}

export function memoirPresetKey(modelId: string): string {
  return `memoir.preset|${modelId}`;
}

/** A model's stored calibration: null when none is stored or the stored one cannot be used (a problem
 *  line says why). */
export interface StoredCalibration {
  readonly calibration: MemoirCalibration | null;
  readonly problems: readonly string[];
}

/** The record stored for (modelId, precision), checked against the model's dims. */
export async function readMemoirCalibration(
  db: EditscopeDB,
  modelId: string,
  precision: WeightPrecision,
  dims: { layers: number; H: number },
): Promise<StoredCalibration> {
  const value = await db.getSetting(memoirCalibrationKey(modelId, precision));
  if (value === undefined) return { calibration: null, problems: [] };
  const where = `storage: the stored MEMOIR calibration of ${modelId} at ${precision}`;
  if (!isMemoirCalibration(value, dims)) {
    return {
      calibration: null,
      problems: [
        `${where} is not a calibration record for this model's ${dims.layers} layers and width ` +
          `${dims.H}; it is not used (Calibrate again replaces it)`,
      ],
    };
  }
  if (value.modelId !== modelId || value.precision !== precision) {
    return {
      calibration: null,
      problems: [
        `${where} was made for ${value.modelId} at ${value.precision}; it is not used ` +
          '(Calibrate again replaces it)',
      ],
    };
  }
  return { calibration: value, problems: [] };
}

/** Stores a calibration under its own model and precision (replacing the one stored there). */
export async function writeMemoirCalibration(db: EditscopeDB, calibration: MemoirCalibration): Promise<void> {
  await db.setSetting(memoirCalibrationKey(calibration.modelId, calibration.precision), calibration);
}

/** The model's preset choice: 'calibrated' when unset, or when the stored value is neither (reported). */
export async function readMemoirPreset(
  db: EditscopeDB,
  modelId: string,
): Promise<{ preset: MemoirPresetChoice; problems: readonly string[] }> {
  const value = await db.getSetting(memoirPresetKey(modelId));
  if (value === undefined || value === 'calibrated' || value === 'paper') {
    return { preset: value ?? 'calibrated', problems: [] };
  }
  return {
    preset: 'calibrated',
    problems: [
      `storage: the stored MEMOIR preset of ${modelId} (${JSON.stringify(value)}) is not "calibrated" or ` +
        '"paper"; the calibrated preset is used',
    ],
  };
}

export async function writeMemoirPreset(
  db: EditscopeDB,
  modelId: string,
  preset: MemoirPresetChoice,
): Promise<void> {
  await db.setSetting(memoirPresetKey(modelId), preset);
}
