// Conversions between MEMOIR's in-memory forms (MemoirSnapshot, BackgroundStats) and the store's records,
// with the cross-record checks a single-record validator cannot make (k and C against the memory), and
// the background-statistics cache (computed once per model and layer). Record I/O itself is db.ts.

import type { MemoirEdit, MemoirSnapshot } from '../editors/memoir/editor';
import type { EditableModel } from '../editors/memoir/model';
import { computeBackgroundStats, type BackgroundStats } from '../editors/memoir/tophash';
import type { EditscopeDB, MemoirLoaded } from './db';
import { backgroundKey } from './db';
import type { BackgroundStatsRecord, MemoirEditRecord, MemoirMemoryRecord } from './schema';

export function memoirMemoryRecord(s: MemoirSnapshot, now = Date.now()): MemoirMemoryRecord {
  return { modelId: s.modelId, config: s.config, C: s.C, H: s.H, wm: s.wm, updatedAt: now };
}

export function memoirEditRecord(modelId: string, e: MemoirEdit): MemoirEditRecord {
  return { modelId, ...e };
}

/** The snapshot a MemoirEditor can be rebuilt from, or null when no memory was saved. Edits whose mask or
 *  delta does not fit the memory are left out with a problem line (their share of Wm stays unrouted). */
export function memoirSnapshot(loaded: MemoirLoaded): {
  snapshot: MemoirSnapshot | null;
  problems: string[];
} {
  const { memory } = loaded;
  const problems = [...loaded.problems];
  if (!memory) {
    if (loaded.edits.length > 0)
      problems.push(`storage: ${loaded.edits.length} MEMOIR edits have no memory record; ignored`);
    return { snapshot: null, problems };
  }
  const edits: MemoirEdit[] = [];
  for (const r of loaded.edits) {
    const k = memory.config.k;
    if (
      r.cols.length !== k ||
      r.delta.length !== memory.C * k ||
      r.cols.some((c) => c < 0 || c >= memory.H)
    ) {
      problems.push(
        `storage: MEMOIR edit "${r.editId}" skipped: mask/delta do not fit k=${k}, C=${memory.C}, H=${memory.H}. ` +
          'Delete it and re-apply it.',
      );
      continue;
    }
    const { modelId: _modelId, ...edit } = r;
    edits.push(edit);
  }
  return {
    snapshot: {
      modelId: memory.modelId,
      config: memory.config,
      C: memory.C,
      H: memory.H,
      wm: memory.wm,
      edits,
    },
    problems,
  };
}

export function backgroundStatsRecord(s: BackgroundStats): BackgroundStatsRecord {
  return {
    key: backgroundKey(s.modelId, s.layer),
    modelId: s.modelId,
    layer: s.layer,
    H: s.H,
    prompts: s.prompts,
    meanPooled: s.byPooling.mean,
    lastPooled: s.byPooling.last,
  };
}

export function backgroundStatsFrom(r: BackgroundStatsRecord): BackgroundStats {
  return {
    modelId: r.modelId,
    layer: r.layer,
    H: r.H,
    prompts: r.prompts,
    byPooling: { mean: r.meanPooled, last: r.lastPooled },
  };
}

/** The model's background statistics at `layer`: the stored ones when they were made from as many
 *  prompts as given now, else computed from `prompts` and stored. Problems reading the cache are returned. */
export async function cachedBackgroundStats(
  db: EditscopeDB,
  model: EditableModel,
  layer: number,
  prompts: readonly string[],
  signal?: AbortSignal,
): Promise<{ stats: BackgroundStats; computed: boolean; problems: string[] }> {
  const cached = await db.getBackgroundStats(model.id, layer);
  const hit = cached.records[0];
  if (hit && hit.H === model.dims.H && hit.prompts === prompts.length) {
    return { stats: backgroundStatsFrom(hit), computed: false, problems: cached.problems };
  }
  const stats = await computeBackgroundStats(model, layer, prompts, signal);
  await db.putBackgroundStats(backgroundStatsRecord(stats));
  return { stats, computed: true, problems: cached.problems };
}
