// The IndexedDB schema of Editscope: record types, the version, one migration per version, and a
// validator per store so a corrupt record is reported and skipped instead of crashing or wiping the store.
// Not the database access itself (db.ts, the only importer of idb).
// SERAC keeps no store of its own: its memory (DESIGN §5: edit input and label) is the prompt and target
// of every stored edit the app holds, the same edits MEMOIR trained (src/worker/serac-session.ts).

import type { MemoirConfig } from '../editors/memoir/config';
import { isHalfNonFinite, type Delta } from '../editors/memoir/delta';

export const DB_NAME = 'editscope';
/** Bump together with a new entry in MIGRATIONS. */
export const DB_VERSION = 3;

/** A user-visible edit: MEMOIR trains it, SERAC holds it as is. */
export interface EditRecord {
  id: string;
  modelId: string;
  /** The editor that applied it: every edit the app stores is trained by MEMOIR. */
  method: 'memoir' | 'serac';
  prompt: string;
  target: string;
  createdAt: number;
}

/** The MEMOIR memory of one model: config and Wm (C, H). Per-edit masks and deltas are in memoirEdits. */
export interface MemoirMemoryRecord {
  modelId: string;
  config: MemoirConfig;
  C: number;
  H: number;
  wm: Float32Array;
  updatedAt: number;
}

/** One MEMOIR edit's mask and exact Wm change, keyed [modelId, editId]. */
export interface MemoirEditRecord {
  modelId: string;
  editId: string;
  slot: number;
  prompt: string;
  target: string;
  cols: Int32Array; // (k)
  /** (C, k), f16 or f32 (delta.ts); a bare Float32Array is a record written before f16 deltas, read as f32
   *  (store/memoir.ts), so no migration rewrites the stored edits. */
  delta: Delta | Float32Array;
  steps: number;
  loss: number;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

/** TopHash background statistics of one model at one layer, keyed "modelId|layer". */
export interface BackgroundStatsRecord {
  key: string;
  modelId: string;
  layer: number;
  H: number;
  prompts: number;
  meanPooled: { mean: Float32Array; std: Float32Array };
  lastPooled: { mean: Float32Array; std: Float32Array };
}

/** One text's embedding by one sentence-embedding model (SERAC's embedding-mode scope), keyed
 *  [modelId, text]: a cache, derivable from the text, kept so edits are embedded once across reloads. */
export interface EmbeddingRecord {
  /** The embedding model's id (EmbeddingScope.id: model and dtype), not a base model's. */
  modelId: string;
  text: string;
  embedding: Float32Array; // (D)
}

export interface StoreRecords {
  edits: EditRecord;
  memoirMemory: MemoirMemoryRecord;
  memoirEdits: MemoirEditRecord;
  settings: SettingRecord;
  backgroundStats: BackgroundStatsRecord;
  embeddings: EmbeddingRecord;
}
export type StoreName = keyof StoreRecords;

/** The stores as MIGRATIONS leave them at DB_VERSION (db.test.ts checks it): key paths; stores keyed per
 *  model carry a `byModel` index on modelId. */
export const STORES: Readonly<Record<StoreName, { keyPath: string | string[]; byModel: boolean }>> = {
  edits: { keyPath: 'id', byModel: true },
  memoirMemory: { keyPath: 'modelId', byModel: false },
  memoirEdits: { keyPath: ['modelId', 'editId'], byModel: true },
  settings: { keyPath: 'key', byModel: false },
  backgroundStats: { keyPath: 'key', byModel: true },
  embeddings: { keyPath: ['modelId', 'text'], byModel: true },
};

/** What a migration may do: create and delete stores, create indexes (idb's upgrade database, narrowed). */
export interface UpgradeTarget {
  createObjectStore(
    name: string,
    opts: { keyPath: string | string[] },
  ): {
    createIndex(name: string, keyPath: string): unknown;
  };
  deleteObjectStore(name: string): void;
}

/** MIGRATIONS[v - 1] upgrades a database at version v - 1 to v. Each one is history: it names its stores
 *  itself rather than reading STORES, so an old database replays exactly what it missed. Never delete user
 *  data in one. */
export const MIGRATIONS: readonly ((db: UpgradeTarget) => void)[] = [
  (db) => {
    const byModel = (name: string, keyPath: string | string[]) =>
      db.createObjectStore(name, { keyPath }).createIndex('byModel', 'modelId');
    byModel('edits', 'id');
    db.createObjectStore('memoirMemory', { keyPath: 'modelId' });
    byModel('memoirEdits', ['modelId', 'editId']);
    byModel('seracMemory', ['modelId', 'editId']);
    db.createObjectStore('settings', { keyPath: 'key' });
    byModel('backgroundStats', 'key');
  },
  // v2: 'seracMemory' goes. No version of the app wrote to it (SERAC's memory has always been the edits
  // store), so this deletes no user data.
  (db) => db.deleteObjectStore('seracMemory'),
  // v3: 'embeddings', SERAC's cache of edit embeddings (a new store: nothing is touched).
  (db) =>
    db.createObjectStore('embeddings', { keyPath: ['modelId', 'text'] }).createIndex('byModel', 'modelId'),
];

// ---- validation: returns a list of problems (empty = valid) ----

type Check = (r: Record<string, unknown>) => string[];
const str =
  (f: string): Check =>
  (r) =>
    typeof r[f] === 'string' ? [] : [`${f} is not a string`];
const num =
  (f: string): Check =>
  (r) =>
    typeof r[f] === 'number' && Number.isFinite(r[f]) ? [] : [`${f} is not a finite number`];
const typed =
  (f: string, ctor: Float32ArrayConstructor | Int32ArrayConstructor): Check =>
  (r) =>
    r[f] instanceof ctor ? [] : [`${f} is not a ${ctor.name}`];
/** A Float32Array field holds only finite values (a NaN or Inf in Wm, a delta or a background std would
 *  spread into every answer the memory gives, and into Wm when an edit is deleted). A plain loop: every
 *  load checks every delta (10,000 edits of the bundled model: 330M values), and findIndex's callback
 *  per value took 3-4× as long. */
const finite =
  (f: string): Check =>
  (r) => {
    const a = r[f];
    if (!(a instanceof Float32Array)) return [];
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) return [`${f}[${i}] is ${a[i]}, not a finite number`];
    }
    return [];
  };
const positiveInt =
  (f: string): Check =>
  (r) =>
    Number.isSafeInteger(r[f]) && (r[f] as number) > 0
      ? []
      : [`${f} must be a positive integer, got ${r[f]}`];
/** Mask columns sorted, distinct and >= 0 (the upper bound H is the memory's; store/memoir.ts checks it). */
const mask =
  (f: string): Check =>
  (r) => {
    const a = r[f];
    if (!(a instanceof Int32Array) || a.length === 0) return a instanceof Int32Array ? [`${f} is empty`] : [];
    const j = a.findIndex((c, i) => c < 0 || (i > 0 && c <= a[i - 1]));
    return j < 0 ? [] : [`${f} must be sorted distinct columns >= 0, bad at [${j}] = ${a[j]}`];
  };
const oneOf =
  (f: string, values: readonly string[]): Check =>
  (r) =>
    values.includes(r[f] as string) ? [] : [`${f} must be one of ${values.join(' | ')}`];
const stats =
  (f: string): Check =>
  (r) => {
    const s = r[f] as Record<string, unknown> | undefined;
    if (!s || !(s.mean instanceof Float32Array) || !(s.std instanceof Float32Array))
      return [`${f} lacks mean/std Float32Arrays`];
    if (s.mean.length !== r.H || s.std.length !== r.H) return [`${f} mean/std must have H=${r.H} entries`];
    const bad = [...finite('mean')(s), ...finite('std')(s)];
    return bad.map((b) => `${f}.${b}`);
  };
const sized =
  (f: string, expected: (r: Record<string, unknown>) => number): Check =>
  (r) => {
    const a = r[f] as { length?: number } | undefined;
    const n = expected(r);
    // A size made of fields that are not numbers is their problem, reported by their own checks.
    if (!Number.isFinite(n)) return [];
    return a?.length === n ? [] : [`${f} must have ${n} entries, got ${a?.length}`];
  };

/** A MEMOIR delta: { dtype: 'f16', bits: Uint16Array } or { dtype: 'f32', values: Float32Array } (or an
 *  older record's bare Float32Array), every value finite, (C, k) for the record's k = cols.length. */
const storedDelta =
  (f: string): Check =>
  (r) => {
    const d = r[f];
    const k = Math.max(1, (r.cols as Int32Array | undefined)?.length ?? 1);
    const shaped = (length: number, problems: string[]) =>
      problems.length > 0 || length % k === 0 ? problems : [`${f} is not (C, k)`];
    if (d instanceof Float32Array) return shaped(d.length, finite(f)(r));
    const tagged = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    if (tagged.dtype === 'f32' && tagged.values instanceof Float32Array) {
      return shaped(tagged.values.length, finite(`${f}.values`)({ [`${f}.values`]: tagged.values }));
    }
    if (tagged.dtype === 'f16' && tagged.bits instanceof Uint16Array) {
      return shaped(tagged.bits.length, halfFinite(`${f}.bits`, tagged.bits));
    }
    return [`${f} is not { dtype: 'f16', bits: Uint16Array } nor { dtype: 'f32', values: Float32Array }`];
  };
/** Binary16 bits hold no Inf or NaN pattern (as finite() for f32). */
const halfFinite = (f: string, bits: Uint16Array): string[] => {
  for (let i = 0; i < bits.length; i++) {
    if (isHalfNonFinite(bits[i])) {
      const what = bits[i] & 0x3ff ? 'NaN' : 'Inf';
      return [`${f}[${i}] is ${what} (0x${bits[i].toString(16)}), not a finite number`];
    }
  }
  return [];
};

const CHECKS: Record<StoreName, Check[]> = {
  edits: [
    str('id'),
    str('modelId'),
    oneOf('method', ['memoir', 'serac']),
    str('prompt'),
    str('target'),
    num('createdAt'),
  ],
  memoirMemory: [
    str('modelId'),
    positiveInt('C'),
    positiveInt('H'),
    typed('wm', Float32Array),
    sized('wm', (r) => (r.C as number) * (r.H as number)),
    finite('wm'),
    // config is read field by field against the model's defaults (store/memoir.ts readMemoirConfig).
  ],
  memoirEdits: [
    str('modelId'),
    str('editId'),
    // No check of slot: slots only order the edits, so a bad one is replaced (store/memoir.ts), not fatal.
    str('prompt'),
    str('target'),
    typed('cols', Int32Array),
    mask('cols'),
    storedDelta('delta'),
    num('steps'),
    num('loss'),
  ],
  settings: [str('key')],
  backgroundStats: [
    str('key'),
    str('modelId'),
    num('layer'),
    num('H'),
    num('prompts'),
    stats('meanPooled'),
    stats('lastPooled'),
  ],
  embeddings: [
    str('modelId'),
    str('text'),
    typed('embedding', Float32Array),
    (r) => ((r.embedding as Float32Array | undefined)?.length === 0 ? ['embedding is empty'] : []),
    finite('embedding'),
  ],
};

/** Problems with a record read from `store`; a non-object is one problem. */
export function validateRecord(store: StoreName, value: unknown): string[] {
  if (typeof value !== 'object' || value === null)
    return [`record is ${value === null ? 'null' : typeof value}`];
  const r = value as Record<string, unknown>;
  return CHECKS[store].flatMap((check) => {
    try {
      return check(r);
    } catch {
      return ['record has an unreadable field'];
    }
  });
}
