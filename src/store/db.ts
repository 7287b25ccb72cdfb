// The Editscope database: the only importer of idb. Opens/migrates the schema (schema.ts), writes every
// change in one transaction, and validates every record it reads: a corrupt one is skipped with a readable
// problem line, never deleted, and never stops the others from loading. Not the record types (schema.ts).

import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { EngineError } from '../engine/errors';
import {
  DB_NAME,
  DB_VERSION,
  MIGRATIONS,
  validateRecord,
  type BackgroundStatsRecord,
  type EditRecord,
  type EmbeddingRecord,
  type MemoirEditRecord,
  type MemoirMemoryRecord,
  type StoreName,
  type StoreRecords,
} from './schema';

/** Records that passed validation, and one line per record that did not. */
export interface Loaded<T> {
  records: T[];
  problems: string[];
}

export interface MemoirLoaded {
  /** null: none saved yet, or unreadable (then a problem line says so). */
  memory: MemoirMemoryRecord | null;
  /** The readable edit records, in slot order. */
  edits: MemoirEditRecord[];
  /** How many edit records were unreadable and left out (each has a problem line). */
  skippedEdits: number;
  problems: string[];
}

export class EditscopeDB {
  /** Set when this connection was closed for a newer tab's schema upgrade. */
  private closedForUpgrade = false;

  private constructor(private readonly connection: IDBPDatabase) {}

  /** Opens (creating or migrating) the database. A database from a newer app is refused, not touched.
   *  `onBlocked`: an older tab holds the database open, so the upgrade waits until it closes (the open
   *  resolves then). `onBlocking`: a newer tab wants to upgrade; this connection is closed at once, so
   *  the upgrade proceeds, and every later call on it fails saying this tab must reload. */
  static async open(
    name = DB_NAME,
    on: { onBlocked?: () => void; onBlocking?: () => void } = {},
  ): Promise<EditscopeDB> {
    let opened: EditscopeDB | null = null;
    try {
      const db = await openDB(name, DB_VERSION, {
        upgrade(database, oldVersion) {
          for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v](database);
        },
        blocked: () => on.onBlocked?.(),
        blocking: () => {
          db.close();
          if (opened) opened.closedForUpgrade = true;
          on.onBlocking?.();
        },
      });
      opened = new EditscopeDB(db);
      return opened;
    } catch (e) {
      const err = e as { name?: string; message?: string };
      if (err.name === 'VersionError') {
        throw new EngineError(
          'LOAD',
          `storage: database "${name}" was written by a newer Editscope (schema > v${DB_VERSION}); it was left untouched`,
          'reload the page to get the latest app version',
        );
      }
      throw new EngineError('LOAD', `storage: cannot open database "${name}": ${err.message ?? String(e)}`);
    }
  }

  /** The open connection; refused once it was closed for another tab's upgrade. */
  private get db(): IDBPDatabase {
    if (this.closedForUpgrade) {
      throw new EngineError(
        'STORAGE',
        'storage: another Editscope tab upgraded the stored edits to a newer version, so this tab closed its connection',
        'reload this tab',
      );
    }
    return this.connection;
  }

  close(): void {
    this.connection.close();
  }

  // ---- edits (all methods) ----

  async listEdits(modelId: string): Promise<Loaded<EditRecord>> {
    return this.byModel('edits', modelId);
  }

  // ---- MEMOIR ----

  /** Stores an applied MEMOIR edit: its user-visible record, its mask/delta and the new Wm, atomically. */
  async saveMemoirEdit(edit: EditRecord, entry: MemoirEditRecord, memory: MemoirMemoryRecord): Promise<void> {
    checkWritable('edits', edit);
    checkWritable('memoirEdits', entry);
    checkWritable('memoirMemory', memory);
    const tx = this.db.transaction(['edits', 'memoirEdits', 'memoirMemory'], 'readwrite');
    await atomically(tx, [
      () => tx.objectStore('edits').put(edit),
      () => tx.objectStore('memoirEdits').put(entry),
      () => tx.objectStore('memoirMemory').put(memory),
    ]);
  }

  /** Replaces a model's MEMOIR memory record alone (its config changed, e.g. the gate τ; Wm and the
   *  edits did not). */
  async putMemoirMemory(memory: MemoirMemoryRecord): Promise<void> {
    checkWritable('memoirMemory', memory);
    await this.db.put('memoirMemory', memory);
  }

  /** Removes MEMOIR edits and stores the Wm left after subtracting their deltas, atomically. */
  async deleteMemoirEdits(editIds: readonly string[], memory: MemoirMemoryRecord): Promise<void> {
    checkWritable('memoirMemory', memory);
    const tx = this.db.transaction(['edits', 'memoirEdits', 'memoirMemory'], 'readwrite');
    await atomically(tx, [
      ...editIds.flatMap((id) => [
        () => tx.objectStore('edits').delete(id),
        () => tx.objectStore('memoirEdits').delete([memory.modelId, id]),
      ]),
      () => tx.objectStore('memoirMemory').put(memory),
    ]);
  }

  /** The MEMOIR memory of a model with its edits in slot order and its listed edits, as stored, read in
   *  one transaction so another tab's change is seen whole or not at all (store/memoir.ts makes a
   *  consistent snapshot of them). */
  async loadMemoir(modelId: string): Promise<MemoirLoaded & { listed: Loaded<EditRecord> }> {
    const tx = this.db.transaction(['memoirMemory', 'memoirEdits', 'edits'], 'readonly');
    const byModel = (store: 'memoirEdits' | 'edits') => {
      const index = tx.objectStore(store).index('byModel');
      return Promise.all([index.getAllKeys(modelId), index.getAll(modelId)]);
    };
    const [raw, entries, listed] = await Promise.all([
      tx.objectStore('memoirMemory').get(modelId),
      byModel('memoirEdits'),
      byModel('edits'),
      tx.done,
    ]);
    const problems: string[] = [];
    let memory: MemoirMemoryRecord | null = null;
    if (raw !== undefined) {
      const bad = validateRecord('memoirMemory', raw);
      if (bad.length === 0) memory = raw as MemoirMemoryRecord;
      else problems.push(describe('memoirMemory', modelId, bad));
    }
    const edits = validated('memoirEdits', ...entries);
    edits.records.sort((a, b) => a.slot - b.slot);
    return {
      memory,
      edits: edits.records,
      skippedEdits: edits.problems.length,
      problems: [...problems, ...edits.problems],
      listed: validated('edits', ...listed),
    };
  }

  // ---- background statistics ----

  async putBackgroundStats(record: BackgroundStatsRecord): Promise<void> {
    await this.db.put('backgroundStats', record);
  }

  async getBackgroundStats(modelId: string, layer: number): Promise<Loaded<BackgroundStatsRecord>> {
    const key = backgroundKey(modelId, layer);
    const raw = await this.db.get('backgroundStats', key);
    if (raw === undefined) return { records: [], problems: [] };
    const bad = validateRecord('backgroundStats', raw);
    return bad.length === 0
      ? { records: [raw], problems: [] }
      : { records: [], problems: [describe('backgroundStats', key, bad)] };
  }

  // ---- embeddings (SERAC's embedding-mode scope: a cache, derivable from the texts) ----

  /** The stored embedding of each text under `modelId`, in one transaction; undefined where there is none
   *  or it is unreadable (a problem line each: the caller computes it again and put overwrites it). */
  async getEmbeddings(
    modelId: string,
    texts: readonly string[],
  ): Promise<{ embeddings: (Float32Array | undefined)[]; problems: string[] }> {
    const tx = this.db.transaction('embeddings', 'readonly');
    const [raws] = await Promise.all([Promise.all(texts.map((t) => tx.store.get([modelId, t]))), tx.done]);
    const problems: string[] = [];
    const embeddings = raws.map((raw, i) => {
      if (raw === undefined) return undefined;
      const bad = validateRecord('embeddings', raw);
      if (bad.length === 0) return (raw as EmbeddingRecord).embedding;
      problems.push(describe('embeddings', [modelId, texts[i]], bad));
      return undefined;
    });
    return { embeddings, problems };
  }

  /** Stores embeddings in one transaction (all or none). */
  async putEmbeddings(records: readonly EmbeddingRecord[]): Promise<void> {
    records.forEach((r) => checkWritable('embeddings', r));
    const tx = this.db.transaction(['embeddings'], 'readwrite');
    const store = tx.objectStore('embeddings');
    await atomically(
      tx,
      records.map((r) => () => store.put(r)),
    );
  }

  /** Forgets every embedding of one embedding model. */
  async deleteEmbeddings(modelId: string): Promise<void> {
    const tx = this.db.transaction(['embeddings'], 'readwrite');
    const store = tx.objectStore('embeddings');
    const keys = await store.index('byModel').getAllKeys(modelId);
    await atomically(
      tx,
      keys.map((k) => () => store.delete(k)),
    );
  }

  // ---- settings ----

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.db.put('settings', { key, value });
  }

  async deleteSetting(key: string): Promise<void> {
    await this.db.delete('settings', key);
  }

  /** The stored value, or undefined when unset or unreadable. */
  async getSetting(key: string): Promise<unknown> {
    const raw = await this.db.get('settings', key);
    return raw !== undefined && validateRecord('settings', raw).length === 0
      ? (raw as { value: unknown }).value
      : undefined;
  }

  /** Every record of `store` for one model, validated. */
  private async byModel<S extends StoreName>(store: S, modelId: string): Promise<Loaded<StoreRecords[S]>> {
    const tx = this.db.transaction(store, 'readonly');
    const index = tx.store.index('byModel');
    const [keys, values] = await Promise.all([index.getAllKeys(modelId), index.getAll(modelId), tx.done]);
    return validated(store, keys, values);
  }
}

/** The records that pass validation, and a problem line for each that does not (keys[i] names values[i]). */
function validated<S extends StoreName>(
  store: S,
  keys: IDBValidKey[],
  values: unknown[],
): Loaded<StoreRecords[S]> {
  const records: StoreRecords[S][] = [];
  const problems: string[] = [];
  values.forEach((value, i) => {
    const bad = validateRecord(store, value);
    if (bad.length === 0) records.push(value as StoreRecords[S]);
    else problems.push(describe(store, keys[i], bad));
  });
  return { records, problems };
}

/** Refuses, before anything is written, a record that a later read would reject (a NaN in Wm, say), so a
 *  change can never store what would disable the memory. */
function checkWritable(store: StoreName, record: unknown): void {
  const bad = validateRecord(store, record);
  if (bad.length > 0) {
    throw new EngineError(
      'STORAGE',
      `storage: refused to write a ${store} record (${bad.join('; ')}); nothing was stored`,
    );
  }
}

/** Makes a transaction's requests and waits for them and its end; when one fails (a quota error, say), or
 *  throws before it is queued (which alone would not abort it), aborts the transaction so none land. */
async function atomically(
  tx: IDBPTransaction<unknown, string[], 'readwrite'>,
  requests: (() => Promise<unknown>)[],
) {
  const queued: Promise<unknown>[] = [tx.done];
  try {
    for (const request of requests) queued.push(request());
    await Promise.all(queued);
  } catch (error) {
    // The others reject with the abort too; `error` is the one reported.
    for (const q of queued) q.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // Already finished or aborted by the failure itself.
    }
    throw error;
  }
}

export function backgroundKey(modelId: string, layer: number): string {
  return `${modelId}|${layer}`;
}

function describe(store: StoreName, key: IDBValidKey, bad: string[]): string {
  return (
    `storage: ${store} record ${JSON.stringify(key)} skipped (${bad.join('; ')}). ` +
    'It was left in place and is not used.'
  );
}
