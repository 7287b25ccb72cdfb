// The eval CLI's MEMOIR calibration: the record shipped next to a model (memoir-calibration.json, what
// the app uses for it) when it fits the precision and the model's shape, else a calibration run now with
// progress on stderr. Shared by the eval CLI's `--preset auto` and tools/eval/calibrate.ts. Node only.

import fs from 'node:fs';
import path from 'node:path';
import { calibrateMemoir, candidateLabel } from '../../src/editors/memoir/calibrate';
import { isMemoirCalibration, type MemoirCalibration } from '../../src/editors/memoir/calibration';
import { defaultMemoirConfig, type MemoirConfig, type Preset } from '../../src/editors/memoir/config';
import type { EditableModel } from '../../src/editors/memoir/model';
import type { WeightPrecision } from '../../src/engine/quantize';
import { parseCalibrationSet, type CalibrationSet } from '../../src/eval/calibration-set';
import type { CliPreset } from './args';
import { readJson } from './load';

/** The file a model directory ships its calibration in. */
export const CALIBRATION_FILE = 'memoir-calibration.json';
export const DEFAULT_CALIBRATION_SET = 'public/calibration/calibration-set.json';

export function readCalibrationSet(file: string): CalibrationSet {
  return parseCalibrationSet(readJson(file));
}

/** The calibration shipped in the model directory `modelRef` for `precision`, or null (with a line on
 *  stderr saying why when a file is there but does not fit). */
export function shippedCalibration(
  modelRef: string,
  precision: WeightPrecision,
  dims: { layers: number; H: number },
): { calibration: MemoirCalibration; file: string } | null {
  const file = path.join(modelRef, CALIBRATION_FILE);
  if (!fs.existsSync(file)) return null;
  const json = readJson(file);
  if (!isMemoirCalibration(json, dims)) {
    process.stderr.write(
      `${file}: not a MEMOIR calibration record for this model's shape; calibrating now\n`,
    );
    return null;
  }
  if (json.precision !== precision) {
    process.stderr.write(`${file} is for ${json.precision}, not ${precision}; calibrating now\n`);
    return null;
  }
  return { calibration: json, file };
}

/** The preset the app runs a model at without a calibration (memoir-session's memoirConfigFor): a
 *  model folder (the bundled models) gets last-zscore, a hub model the paper's. */
export function appPreset(modelRef: string): Preset {
  return fs.existsSync(modelRef) ? 'last-zscore' : 'paper';
}

/** calibrateMemoir with one progress line on stderr (unless quiet); the app's preset for the model is
 *  the fallback where the set does not tell candidates apart. */
export async function calibrateNow(
  model: EditableModel,
  modelRef: string,
  setFile: string,
  background: readonly string[],
  precision: WeightPrecision,
  quiet: boolean,
): Promise<MemoirCalibration> {
  const set = readCalibrationSet(setFile);
  const calibration = await calibrateMemoir(model, set, background, {
    precision,
    fallback: defaultMemoirConfig(model.dims, appPreset(modelRef)),
    onProgress: (p) => quiet || process.stderr.write(`\rcalibrating: ${p.stage} ${p.done}/${p.total}   `),
  });
  if (!quiet) process.stderr.write('\n');
  return calibration;
}

/** Which MEMOIR configuration an eval runs and where it came from, printed on stderr and in the result. */
export interface PresetUsed {
  readonly requested: CliPreset;
  readonly label: string;
  readonly tau: number;
  /** The calibration file, "calibrated now on <set>", or "defaultMemoirConfig(<preset>)". */
  readonly source: string;
  readonly reason?: string;
}

/** The configuration of `--preset`: auto is what the app runs for the model (the shipped calibration at
 *  this precision, else one made now); paper and last-zscore are the fixed presets. */
export async function presetConfig(
  requested: CliPreset,
  model: EditableModel,
  modelRef: string,
  opts: { precision: WeightPrecision; calibrationSet: string; background: readonly string[]; quiet: boolean },
): Promise<{ config: MemoirConfig; used: PresetUsed }> {
  if (requested !== 'auto') {
    const config = defaultMemoirConfig(model.dims, requested);
    const used = {
      requested,
      label: candidateLabel(config),
      tau: config.tau,
      source: `defaultMemoirConfig(${requested})`,
    };
    return { config, used };
  }
  const shipped = shippedCalibration(modelRef, opts.precision, model.dims);
  const calibration =
    shipped?.calibration ??
    (await calibrateNow(model, modelRef, opts.calibrationSet, opts.background, opts.precision, opts.quiet));
  const source = shipped ? shipped.file : `calibrated now on ${opts.calibrationSet}`;
  const { chosen, chosenLabel, reason } = calibration;
  return { config: chosen, used: { requested, label: chosenLabel, tau: chosen.tau, source, reason } };
}
