// SERAC's stored choices per base model, in the settings store: the scope threshold the user set, which
// companion models the user picked, and the scope threshold calibrated for (base model, scope model).
// Unset means the default (the scope model's card, registry.ts' companions). A stored value that cannot
// be used is reported and ignored (routing falls back to the default), never used and never deleted.
import { isSeracCalibration, type SeracCalibration } from '../editors/serac/calibrate-scope';
import { isThreshold } from '../editors/serac/editor';
import type { CompanionPicks } from '../models/registry';
import type { EditscopeDB } from './db';

/** The user's threshold for a base model; with a scope model other than the bundled one (an embedding
 *  model's scores mean something else), per (base, scope model). */
export function seracThresholdKey(modelId: string, scopeModel?: string): string {
  return scopeModel ? `serac.threshold|${modelId}|${scopeModel}` : `serac.threshold|${modelId}`;
}

export function seracCompanionsKey(modelId: string): string {
  return `serac.companions|${modelId}`;
}

export function seracCalibrationKey(modelId: string, scopeModel: string): string {
  return `serac.calibration|${modelId}|${scopeModel}`;
}

/** What a model's stored threshold setting holds: null when unset, with a problem line when unusable. */
export interface StoredThreshold {
  readonly threshold: number | null;
  readonly problems: readonly string[];
}

export async function readSeracThreshold(
  db: EditscopeDB,
  modelId: string,
  scopeModel?: string,
): Promise<StoredThreshold> {
  const value = await db.getSetting(seracThresholdKey(modelId, scopeModel));
  if (value === undefined) return { threshold: null, problems: [] };
  if (isThreshold(value)) return { threshold: value, problems: [] };
  return {
    threshold: null,
    problems: [
      `storage: the stored SERAC threshold of ${modelId} (${JSON.stringify(value)}) is not a number in [0, 1]; ` +
        "the scope model's own threshold is used",
    ],
  };
}

/** Stores `threshold` for the model (and scope model); null goes back to the scope model's own. */
export async function writeSeracThreshold(
  db: EditscopeDB,
  modelId: string,
  threshold: number | null,
  scopeModel?: string,
): Promise<void> {
  const key = seracThresholdKey(modelId, scopeModel);
  if (threshold === null) await db.deleteSetting(key);
  else await db.setSetting(key, threshold);
}

const PICKS = ['scopeModel', 'counterfactualModel'] as const;

/** The companions the user picked for a model ({} when none); an unusable record is reported. */
export async function readCompanionPicks(
  db: EditscopeDB,
  modelId: string,
): Promise<{ picks: CompanionPicks; problems: readonly string[] }> {
  const value = (await db.getSetting(seracCompanionsKey(modelId))) as Record<string, unknown> | undefined;
  if (value === undefined) return { picks: {}, problems: [] };
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Object.entries(value).every(([k, v]) => PICKS.includes(k as never) && typeof v === 'string' && v !== '');
  if (ok) return { picks: value as CompanionPicks, problems: [] };
  return {
    picks: {},
    problems: [
      `storage: the stored SERAC companions of ${modelId} (${JSON.stringify(value)}) are not model names; ` +
        'the default companions are used',
    ],
  };
}

/** Stores the user's picks for a model; {} goes back to the default companions. */
export async function writeCompanionPicks(
  db: EditscopeDB,
  modelId: string,
  picks: CompanionPicks,
): Promise<void> {
  const kept = Object.fromEntries(PICKS.filter((k) => picks[k]).map((k) => [k, picks[k]]));
  if (Object.keys(kept).length === 0) await db.deleteSetting(seracCompanionsKey(modelId));
  else await db.setSetting(seracCompanionsKey(modelId), kept);
}

/** The scope threshold calibrated for (modelId, scopeModel): null when none is stored or it is unusable. */
export async function readSeracCalibration(
  db: EditscopeDB,
  modelId: string,
  scopeModel: string,
): Promise<{ calibration: SeracCalibration | null; problems: readonly string[] }> {
  const value = await db.getSetting(seracCalibrationKey(modelId, scopeModel));
  if (value === undefined) return { calibration: null, problems: [] };
  if (isSeracCalibration(value) && value.modelId === modelId && value.scopeModel === scopeModel)
    return { calibration: value, problems: [] };
  return {
    calibration: null,
    problems: [
      `storage: the stored SERAC scope calibration of ${modelId} with ${scopeModel} is not a calibration ` +
        'record for them; it is not used (the scope is calibrated again)',
    ],
  };
}

export async function writeSeracCalibration(db: EditscopeDB, calibration: SeracCalibration): Promise<void> {
  await db.setSetting(seracCalibrationKey(calibration.modelId, calibration.scopeModel), calibration);
}
