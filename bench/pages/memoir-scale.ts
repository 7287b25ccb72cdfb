// MEMOIR at scale, the page half: seeds N stored MEMOIR edits of the bundled model into this origin's
// IndexedDB in the store's own record format (edits, memoirEdits, memoirMemory), then times what the app's
// load path does with them outside the app (the store's read with per-record validation, memoirSnapshot's
// checks of masks, deltas and Wm) and MEMOIR's routing over N masks. bench/memoir-scale.mjs then opens the
// app on the seeded profile; e2e/edit-scale.spec.ts seeds 1,000 through it. Not a training benchmark
// (bench/pages/memoir.ts). Query: ?model=editscope-facts&edits=1000&queries=200
// Records are synthetic but valid: masks of k distinct sorted columns < H, f16 deltas (C, k) of small
// random values (as trained edits store them), and Wm (C, H) their sum in slot order (sumOfDeltas' order:
// bit-identical, so the store's matchesEdits check passes and the stored Wm is used as is). Publishes
// window.__benchResult.
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import { deltaValues, roundToF16 } from '../../src/editors/memoir/delta';
import { mulberry32 } from '../../src/lib/random';
import { describeSource, fileUrl } from '../../src/models/hub';
import { bundledSource } from '../../src/models/registry';
import { EditscopeDB } from '../../src/store/db';
import { matchesEdits, memoirEditBytes, memoirSnapshot } from '../../src/store/memoir';
import type { EditRecord, MemoirEditRecord, MemoirMemoryRecord } from '../../src/store/schema';
import { DB_NAME, validateRecord } from '../../src/store/schema';
import { timeRouting } from '../router-timing';

declare global {
  interface Window {
    __benchResult?: unknown;
  }
}

const query = new URLSearchParams(location.search);
const modelName = query.get('model') ?? 'editscope-facts';
const count = Number(query.get('edits') ?? 1000);
const routingQueries = Number(query.get('queries') ?? 200);
/** Edits written per transaction: about 16 MB of deltas at the bundled model's (C, k) = (128, 256). */
const CHUNK = 128;

const round = (x: number) => +x.toFixed(1);

/** The seeded edit `i`'s prompt and answer: zero-padded so a search for one number matches one edit. */
function seededText(i: number): { prompt: string; target: string } {
  const n = String(i).padStart(5, '0');
  return { prompt: `The capital of Seedland-${n} is`, target: ` Seedcity-${n}` };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/** k distinct sorted columns of H (a partial Fisher-Yates shuffle). */
function mask(H: number, k: number, next: () => number, pool: Int32Array): Int32Array {
  for (let i = 0; i < H; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (H - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort();
}

async function seed(modelId: string, C: number, H: number, config: MemoirMemoryRecord['config']) {
  // The app's own open creates (or migrates) the schema; the records are then written in bulk.
  (await EditscopeDB.open()).close();
  const db = await request(indexedDB.open(DB_NAME));
  const { k } = config;
  const next = mulberry32(count);
  const pool = new Int32Array(H);
  const wm = new Float32Array(C * H); // (C, H)
  const createdAt = Date.now() - count * 1000;
  for (let from = 0; from < count; from += CHUNK) {
    const tx = db.transaction(['edits', 'memoirEdits'], 'readwrite');
    for (let slot = from; slot < Math.min(count, from + CHUNK); slot++) {
      const id = `seeded-${slot}`;
      const text = seededText(slot);
      const cols = mask(H, k, next, pool); // (k)
      const delta = roundToF16(Float32Array.from({ length: C * k }, () => (next() - 0.5) * 1e-3))!; // (C, k)
      const values = deltaValues(delta);
      // Wm accumulates as sumOfDeltas does, edit by edit in slot order: the same f32 sums exactly.
      for (let c = 0; c < C; c++) for (let j = 0; j < k; j++) wm[c * H + cols[j]] += values[c * k + j];
      const edit: EditRecord = { id, modelId, method: 'memoir', ...text, createdAt: createdAt + slot };
      const entry: MemoirEditRecord = { modelId, editId: id, slot, ...text, cols, delta, steps: 1, loss: 0 };
      tx.objectStore('edits').put(edit);
      tx.objectStore('memoirEdits').put(entry);
    }
    await done(tx);
  }
  const memory: MemoirMemoryRecord = { modelId, config, C, H, wm, updatedAt: Date.now() };
  const tx = db.transaction('memoirMemory', 'readwrite');
  tx.objectStore('memoirMemory').put(memory);
  await done(tx);
  db.close();
}

async function main() {
  const source = bundledSource(modelName);
  const modelId = describeSource(source);
  const hf = await (await fetch(fileUrl(source, 'config.json'))).json();
  const C: number = hf.hidden_size;
  const H: number = hf.intermediate_size;
  const layers: number = hf.num_hidden_layers;
  // The config the app gives a bundled model's new memory (worker/memoir-session.ts memoirConfigFor).
  const config = defaultMemoirConfig({ layers, H }, 'last-zscore');
  const before = await (await EditscopeDB.open()).loadMemoir(modelId);
  if (before.edits.length > 0 || before.memory)
    throw new Error(`the profile already holds ${before.edits.length} MEMOIR edits of ${modelId}`);

  let t0 = performance.now();
  await seed(modelId, C, H, config);
  const seedMillis = performance.now() - t0;

  // What the worker's load does with the store before any model code runs: read every record of the
  // model in one transaction and validate each (db.ts), then check masks, slots and Wm (store/memoir.ts).
  const db = await EditscopeDB.open();
  t0 = performance.now();
  const loaded = await db.loadMemoir(modelId);
  const readMillis = performance.now() - t0;
  t0 = performance.now();
  const { snapshot, problems } = memoirSnapshot(loaded, { modelId, config, layers, C, H });
  const snapshotMillis = performance.now() - t0;
  db.close();
  if (snapshot?.edits.length !== count || problems.length > 0)
    throw new Error(`the seeded store did not load whole: ${problems.join(' ') || 'edits missing'}`);
  if (snapshot.wm !== loaded.memory?.wm) throw new Error('the seeded Wm was rebuilt, not used as stored');
  // The two parts of those that grow with the deltas, timed again alone: each edit record's validation
  // (within the read), and the check that Wm is the sum of the deltas (within the snapshot).
  t0 = performance.now();
  for (const record of loaded.edits) validateRecord('memoirEdits', record);
  const validateMillis = performance.now() - t0;
  t0 = performance.now();
  matchesEdits(snapshot.wm, C, H, snapshot.edits);
  const wmSumMillis = performance.now() - t0;

  return {
    modelId,
    edits: count,
    dims: { C, H, k: config.k },
    bytesPerEdit: memoirEditBytes(loaded.edits[0]),
    // Masks and deltas of every stored edit (the f32 deltas of before took C·k·4 bytes each).
    editBytesTotal: loaded.edits.reduce((sum, r) => sum + memoirEditBytes(r), 0),
    seedMillis: round(seedMillis),
    storeLoad: {
      readAndValidateMillis: round(readMillis),
      ofWhichValidateEditsMillis: round(validateMillis),
      snapshotChecksMillis: round(snapshotMillis),
      ofWhichWmSumMillis: round(wmSumMillis),
    },
    routing: timeRouting(H, config.k, count, routingQueries),
  };
}

const out = document.getElementById('out')!;
main().then(
  (result) => {
    out.textContent = JSON.stringify(result, null, 2);
    window.__benchResult = result;
  },
  (error: Error) => {
    out.textContent = `failed: ${error.message}`;
    window.__benchResult = { error: error.message };
  },
);
