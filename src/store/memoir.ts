// Conversions between MEMOIR's in-memory forms (MemoirSnapshot, BackgroundStats) and the store's records,
// with the cross-record checks a single-record validator cannot make (k and C against the memory, one edit
// per slot) and the memory rebuilt without what cannot be used, the stored edits left out of it, and the
// background-statistics cache (computed once per model and layer). Record I/O itself is db.ts.

import { validateMemoirConfig, type MemoirConfig } from '../editors/memoir/config';
import { deltaBytes, deltaLength, deltaValues, type Delta } from '../editors/memoir/delta';
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

/** Bytes of an edit record's arrays (mask and delta), what grows with C·k; its text and numbers aside. */
export function memoirEditBytes(r: MemoirEditRecord): number {
  return r.cols.byteLength + deltaBytes(asDelta(r.delta));
}

/** What a model's memory is rebuilt with when its own record is missing or unreadable, and what a stored
 *  record is checked against: the loaded model's id, dims and default config. */
export interface MemoirDefaults {
  readonly modelId: string;
  readonly config: MemoirConfig;
  readonly layers: number;
  readonly C: number;
  readonly H: number;
}

/** How far Wm may be from the sum of its edits' deltas, relative to the magnitudes summed, and still be
 *  the memory those edits made: each add or delete rounds once in f32 (exactly, for f16 deltas whose
 *  sums stay below 1; an older record's f32 delta was a difference of f32 values), so the two differ in
 *  the last bits (2^-23 relative) after a few hundred changes at most; an edit missing from the memory,
 *  or a deleted one left in it, differs by its whole delta. */
const SUM_TOLERANCE = 2 ** -16;

/** Whether wm (C, H) is the sum of the edits' deltas, to f32 rounding (SUM_TOLERANCE). The sum and the
 *  magnitudes summed are added up in one pass, in sumOfDeltas' order (so the sum is its sum, bit for bit),
 *  widening one edit's delta at a time: 10,000 edits of the bundled model hold 655 MB of f16 deltas. */
export function matchesEdits(wm: Float32Array, C: number, H: number, edits: readonly MemoirEdit[]): boolean {
  const sum = new Float32Array(C * H); // (C, H)
  const size = new Float32Array(C * H); // (C, H)
  const scratch = new Float32Array(C * (edits[0]?.cols.length ?? 0)); // (C, k)
  for (const edit of edits) {
    const { cols } = edit;
    const delta = deltaValues(edit.delta, scratch);
    const k = cols.length;
    for (let c = 0; c < C; c++) {
      for (let j = 0; j < k; j++) {
        const d = delta[c * k + j];
        sum[c * H + cols[j]] += d;
        size[c * H + cols[j]] += Math.abs(d);
      }
    }
  }
  return wm.every((w, i) => Math.abs(w - sum[i]) <= SUM_TOLERANCE * (1 + size[i] + Math.abs(w)));
}

/** The stored config read field by field against the model's defaults, so one bad field costs that
 *  field, not the memory: a field missing (a record from before it existed) takes the default and is
 *  migrated; one of the wrong type or out of range (validateMemoirConfig) takes the default, reported. */
export function readMemoirConfig(
  raw: unknown,
  defaults: MemoirDefaults,
): { config: MemoirConfig; problems: string[] } {
  const stored = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const dims = { layers: defaults.layers, H: defaults.H };
  const problems: string[] = [];
  const fields = Object.entries(defaults.config).map(([key, fallback]) => {
    const value = stored[key];
    if (value === undefined) {
      problems.push(`config.${key} is missing (an older record): migrated to ${JSON.stringify(fallback)}`);
      return [key, fallback];
    }
    try {
      validateMemoirConfig({ ...defaults.config, [key]: value }, dims);
      return [key, value];
    } catch {
      problems.push(
        `config.${key} = ${JSON.stringify(value)} is invalid: ${JSON.stringify(fallback)} is used`,
      );
      return [key, fallback];
    }
  });
  const where = `storage: the MEMOIR memory of ${defaults.modelId}: `;
  return {
    config: Object.fromEntries(fields) as unknown as MemoirConfig,
    problems: problems.length > 0 ? [where + problems.join('; ')] : [],
  };
}

/** The snapshot a MemoirEditor of the loaded model can always be built from, or null when nothing was
 *  saved. Every edit record stands alone: one that cannot be used is left out with a problem line and
 *  every usable one stays in force. A whole, consistent store gives its memory back bit-exactly;
 *  otherwise the memory is rebuilt from the usable edits (sumOfDeltas), so an edit left out has no effect
 *  anywhere and no deleted one lingers:
 *  - an unreadable edit record, or one whose mask or delta does not fit the memory: left out;
 *  - no readable memory record for this model's dims beside stored edits: the edits are kept, under
 *    `defaults`' config; a config field that is missing or invalid takes the default (readMemoirConfig);
 *  - a Wm that is not the sum of the edits' deltas (matchesEdits: written from a stale copy of the
 *    memory, or by an older version): rebuilt from them;
 *  - two edits in one slot, or a slot that is no index: the later one moves to a free slot (slots only
 *    order the edits). */
export function memoirSnapshot(
  loaded: MemoirLoaded,
  defaults: MemoirDefaults,
): { snapshot: MemoirSnapshot | null; problems: string[] } {
  const problems = [...loaded.problems];
  const { C, H } = defaults;
  let memory = loaded.memory;
  if (memory && (memory.C !== C || memory.H !== H)) {
    problems.push(
      `storage: the MEMOIR memory record of ${defaults.modelId} is (C, H)=(${memory.C}, ${memory.H}), ` +
        `the loaded model's is (${C}, ${H}); it is not used.`,
    );
    memory = null;
  }
  if (!memory && loaded.edits.length === 0) return { snapshot: null, problems };
  const read = memory ? readMemoirConfig(memory.config, defaults) : { config: defaults.config, problems: [] };
  const { config } = read;
  problems.push(...read.problems);
  const edits: MemoirEdit[] = [];
  // An older record's bare Float32Array delta is the f32 delta it always was.
  const tagged = loaded.edits.map((r) => ({ ...r, delta: asDelta(r.delta) }));
  const fits = tagged.filter((r) => {
    const ok =
      r.cols.length === config.k && deltaLength(r.delta) === C * config.k && r.cols.every((c) => c < H);
    if (!ok) {
      problems.push(
        `storage: MEMOIR edit "${r.editId}" skipped: mask/delta do not fit k=${config.k}, C=${C}, H=${H}.`,
      );
    }
    return ok;
  });
  const isIndex = (slot: unknown): slot is number => Number.isSafeInteger(slot) && (slot as number) >= 0;
  const slots = new Set<number>();
  let nextFree = Math.max(0, ...fits.map((r) => (isIndex(r.slot) ? r.slot + 1 : 0)));
  let moved = 0;
  for (const { modelId: _modelId, ...r } of fits) {
    const slot = isIndex(r.slot) && !slots.has(r.slot) ? r.slot : nextFree++;
    moved += slot === r.slot ? 0 : 1;
    slots.add(slot);
    edits.push({ ...r, slot });
  }
  edits.sort((x, y) => x.slot - y.slot);
  const left = loaded.edits.length - edits.length + loaded.skippedEdits;
  const matches = memory !== null && matchesEdits(memory.wm, C, H, edits);
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
  } else if (!matches) {
    problems.push(
      `storage: the MEMOIR memory of ${defaults.modelId} was not the sum of its ${edits.length} stored ` +
        'edits (written from a stale copy, or cut short); it was rebuilt from them.',
    );
  }
  const wm = memory && matches && left === 0 && moved === 0 ? memory.wm : sumOfDeltas(C, H, edits);
  return { snapshot: { modelId: defaults.modelId, config, C, H, wm, edits }, problems };
}

function asDelta(stored: MemoirEditRecord['delta']): Delta {
  return stored instanceof Float32Array ? { dtype: 'f32', values: stored } : stored;
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
