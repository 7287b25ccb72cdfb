// The MEMOIR calibration shipped with a bundled model (public/models/<name>/memoir-calibration.json, made
// by the same calibrateMemoir the app runs), so the bundled model edits without calibrating first, as
// shipped-background.ts does for its background statistics. Only loading and checking the file live here;
// a calibration made in this browser (store/calibration.ts) takes its place.
import { isMemoirCalibration, type MemoirCalibration } from '../editors/memoir/calibration';
import type { WeightPrecision } from '../engine/quantize';
import { describeSource, fileUrl, type ModelSource } from '../models/hub';
import { BUNDLED_BASE_URL } from '../models/registry';

export const SHIPPED_CALIBRATION_FILE = 'memoir-calibration.json';

/** The calibration shipped with a bundled model, or null when the source is not bundled, ships none, or
 *  ships one made for another model, precision or shape (said on the console: the model is then
 *  calibrated before its first edit, like any other). */
export async function loadShippedCalibration(
  source: ModelSource,
  precision: WeightPrecision,
  dims: { layers: number; H: number },
): Promise<MemoirCalibration | null> {
  if (source.kind !== 'local' || source.base !== BUNDLED_BASE_URL) return null;
  const url = fileUrl(source, SHIPPED_CALIBRATION_FILE);
  const response = await fetch(url);
  if (!response.ok) return null;
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    console.warn(`memoir: ${url} is not JSON; this model is calibrated before its first edit`);
    return null;
  }
  const modelId = describeSource(source);
  if (isMemoirCalibration(raw, dims) && raw.modelId === modelId && raw.precision === precision) return raw;
  console.warn(
    `memoir: ${url} is not a calibration of ${modelId} at ${precision} (${dims.layers} layers, width ` +
      `${dims.H}); this model is calibrated before its first edit`,
  );
  return null;
}
