// SERAC's one stored choice: the scope threshold the user set for a model, in the settings store under a
// per-model key. Unset means the scope model's own threshold. A stored value that is not a threshold is
// reported and ignored (routing falls back to the scope model's own), never used and never deleted.
import { isThreshold } from '../editors/serac/editor';
import type { EditscopeDB } from './db';

export function seracThresholdKey(modelId: string): string {
  return `serac.threshold|${modelId}`;
}

/** What a model's stored threshold setting holds: null when unset, with a problem line when unusable. */
export interface StoredThreshold {
  readonly threshold: number | null;
  readonly problems: readonly string[];
}

export async function readSeracThreshold(db: EditscopeDB, modelId: string): Promise<StoredThreshold> {
  const value = await db.getSetting(seracThresholdKey(modelId));
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

/** Stores `threshold` for the model; null goes back to the scope model's own. */
export async function writeSeracThreshold(
  db: EditscopeDB,
  modelId: string,
  threshold: number | null,
): Promise<void> {
  const key = seracThresholdKey(modelId);
  if (threshold === null) await db.deleteSetting(key);
  else await db.setSetting(key, threshold);
}
