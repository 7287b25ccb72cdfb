// Conversions between MEMOIR's in-memory forms (MemoirSnapshot, BackgroundStats) and the store's records,
// with the cross-record checks a single-record validator cannot make (k and C against the memory, one edit
// per slot) and the memory rebuilt without what cannot be used, the stored edits left out of it, and the
// background-statistics cache (computed once per model and layer). Record I/O itself is db.ts.

import type { MemoirConfig } from '../editors/memoir/config';
import type { MemoirEdit, MemoirSnapshot } from '../editors/memoir/editor';
import { sumOfDeltas } from '../editors/memoir/memory';
import type { EditableModel } from '../editors/memoir/model';
import { computeBackgroundStats, type BackgroundStats } from '../editors/memoir/tophash';
import type { EditscopeDB, MemoirLoaded } from './db';
import { backgroundKey } from './db';
import type { BackgroundStatsRecord, EditRecord, MemoirEditRecord, MemoirMemoryRecord } from './schema';

export function memoirMemoryRecord(s: MemoirSnapshot, now = Date.now()): MemoirMemoryRecord {
  return { modelId: s.modelId, config: s.config, C: s.C, H: s.H, wm: s.wm, updatedAt: now };
}

export function memoirEditRecord(modelId: string, e: MemoirEdit): MemoirEditRecord {
  return { modelId, ...e };
}

/** What a model's memory is rebuilt with when its own record is missing or unreadable. */
export interface MemoirDefaults {
  readonly modelId: string;
  readonly config: MemoirConfig;
  readonly C: number;
  readonly H: number;
}

/** The snapshot a MemoirEditor can be rebuilt from, or null when nothing was saved. A whole, consistent
 *  store gives its memory back bit-exactly. Otherwise the memory is rebuilt from the edits that can be
 *  used (sumOfDeltas), so an edit left out has no effect anywhere, and one problem line says what
 *  happened:
 *  - an unreadable edit record, or one whose mask or delta does not fit the memory: left out;
 *  - no readable memory record beside stored edits: the edits are kept, under `defaults`' config;
 *  - two edits in one slot (the memory record was lost before and a new edit reused the slot): the later
 *    one moves to a free slot (slots only order the edits). */
export function memoirSnapshot(
  loaded: MemoirLoaded,
  defaults: MemoirDefaults,
): { snapshot: MemoirSnapshot | null; problems: string[] } {
  const { memory } = loaded;
  if (!memory && loaded.edits.length === 0) return { snapshot: null, problems: [...loaded.problems] };
  const { config, C, H } = memory ?? defaults;
  const problems = [...loaded.problems];
  const edits: MemoirEdit[] = [];
  const slots = new Set<number>();
  let nextFree = Math.max(0, ...loaded.edits.map((r) => r.slot + 1));
  let moved = 0;
  for (const { modelId: _modelId, ...r } of loaded.edits) {
    if (
      r.cols.length !== config.k ||
      r.delta.length !== C * config.k ||
      r.cols.some((c) => c < 0 || c >= H)
    ) {
      problems.push(
        `storage: MEMOIR edit "${r.editId}" skipped: mask/delta do not fit k=${config.k}, C=${C}, H=${H}.`,
      );
      continue;
    }
    const slot = slots.has(r.slot) ? nextFree++ : r.slot;
    moved += slot === r.slot ? 0 : 1;
    slots.add(slot);
    edits.push({ ...r, slot });
  }
  const left = loaded.edits.length - edits.length + loaded.skippedEdits;
  const rebuild = !memory || left > 0 || moved > 0;
  if (!memory) {
    problems.push(
      `storage: the MEMOIR memory of ${defaults.modelId} was missing or unreadable; it was rebuilt from ` +
        `its ${edits.length} usable stored edits, with this model's default settings (gate τ ${config.tau}).`,
    );
  } else if (left > 0) {
    problems.push(
      `storage: the MEMOIR memory was rebuilt from the ${edits.length} usable edits, so the ${left} ` +
        'left out have no effect (those whose prompt and answer could be read are listed as not in ' +
        'force, to apply again or remove).',
    );
  }
  edits.sort((x, y) => x.slot - y.slot);
  const wm = rebuild ? sumOfDeltas(C, H, edits) : memory.wm;
  return { snapshot: { modelId: defaults.modelId, config, C, H, wm, edits }, problems };
}

/** The user's stored edits that a restored memory does not hold, oldest first: their MEMOIR record was
 *  unreadable or did not fit the memory (memoirSnapshot left it out), so what training changed is lost,
 *  but the prompt and answer the user typed are kept, to apply again or remove. */
export function editsNotInForce(
  listed: readonly EditRecord[],
  snapshot: MemoirSnapshot | null,
): EditRecord[] {
  const inForce = new Set(snapshot?.edits.map((e) => e.editId));
  return listed.filter((r) => !inForce.has(r.id)).sort((a, b) => a.createdAt - b.createdAt);
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
