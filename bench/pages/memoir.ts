// MEMOIR benchmark page: what a person editing in this browser waits for and stores. Drives the app's own
// engine worker (the same protocol calls as the Edit view, IndexedDB persistence included):
//   - time per edit (mean, p95) and SGD steps, per backend, on the first records of the facts benchmark;
//   - routing time per query with 10, 1,000 and 10,000 stored masks (bundled scale and paper scale);
//   - the memory the edits take: Wm and per-edit (mask + exact delta) bytes as the store's records hold
//     them (the trained edits read back through the app's backup export), IndexedDB growth, and the
//     bytes an edit's record would take at hub models' dims, f16 (as edits store their change) or f32.
// The edits are deleted again at the end, so a run leaves the profile as it found it.
// Publishes one JSON object as window.__benchResult; bench/memoir.mjs and e2e/bench.spec.ts drive it.
// Query: ?model=editscope-facts&backends=cpu,webgpu&edits=20,3 (edits per backend, same order)
//        &routing=10,1000,10000&queries=200
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import { deltaStorage, roundToF16, type Delta } from '../../src/editors/memoir/delta';
import type { BackendName } from '../../src/engine/backend';
import { parseRecords } from '../../src/eval/records';
import { bundledSource } from '../../src/models/registry';
import { decodeBackup } from '../../src/store/backup';
import { memoirEditBytes, memoirEditRecord } from '../../src/store/memoir';
import type { WorkerClient } from '../../src/worker/client';
import { startEngineWorker } from '../../src/worker/start';
import { timeRouting } from '../router-timing';

declare global {
  interface Window {
    __benchResult?: unknown;
  }
}

const query = new URLSearchParams(location.search);
const modelName = query.get('model') ?? 'editscope-facts';
const list = (name: string, fallback: string) => (query.get(name) ?? fallback).split(',');
const backends = list('backends', 'cpu,webgpu') as BackendName[];
const editCounts = list('edits', '20,3').map(Number);
const storedCounts = list('routing', '10,1000,10000').map(Number);
const routingQueries = Number(query.get('queries') ?? 200);
/** The paper's LLaMA-3-8B setting (FFN 14336, k 4096), to show routing cost at hub-model scale. */
const PAPER_SCALE = { H: 14336, k: 4096 };
/** Hub models' (C, H) (their config.json's hidden_size, intermediate_size), for the bytes an edit takes. */
const HUB_DIMS = [
  { model: 'HuggingFaceTB/SmolLM2-135M', C: 576, H: 1536 },
  { model: 'Qwen/Qwen2.5-0.5B', C: 896, H: 4864 },
];

const round = (x: number, digits = 1) => +x.toFixed(digits);
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function storageUsage(): Promise<number | null> {
  return (await navigator.storage?.estimate?.())?.usage ?? null;
}

async function benchEdits(client: WorkerClient, backend: BackendName, count: number) {
  const loaded = await client.call('loadModel', {
    source: bundledSource(modelName),
    precision: 'f32',
    backend,
  });
  const status = await client.call('memoirStatus', {});
  if (status.edits.length > 0) throw new Error(`the profile already holds ${status.edits.length} edits`);
  const records = parseRecords(await (await fetch('/benchmarks/facts-edits.json')).json(), 'facts-edits');
  const usageBefore = await storageUsage();
  const millis: number[] = [];
  const steps: number[] = [];
  const ids: string[] = [];
  for (const record of records.slice(0, count)) {
    const t0 = performance.now();
    const edit = await client.call('memoirEdit', { prompt: record.prompt, target: record.target_new });
    millis.push(performance.now() - t0);
    steps.push(edit.steps);
    ids.push(edit.id);
  }
  const usageAfter = await storageUsage();
  // The edits as stored: the export carries each record's mask and delta in its own dtype.
  const exported = await client.call('memoirExport', {});
  const { k, H } = status.config;
  const C = loaded.hidden;
  const target = { modelId: status.modelId, C, H, layers: loaded.layers };
  const { edits } = (await decodeBackup(exported.text, target)).snapshot;
  const recordBytes = edits.map((e) => memoirEditBytes(memoirEditRecord(status.modelId, e)));
  const deleteMillis: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    await client.call('memoirDelete', { ids: [id] });
    deleteMillis.push(performance.now() - t0);
  }
  return {
    backend: loaded.backend,
    config: status.config,
    edits: count,
    editMillis: {
      mean: round(mean(millis)),
      p95: round(percentile(millis, 0.95)),
      max: round(Math.max(...millis)),
    },
    stepsPerEdit: { mean: round(mean(steps)), max: Math.max(...steps) },
    millisPerStep: round(mean(millis) / mean(steps)),
    deleteMillis: { mean: round(mean(deleteMillis)), max: round(Math.max(...deleteMillis)) },
    memory: {
      // Wm (C, H) f32 whatever the number of edits; each edit keeps its mask (k) and exact delta (C, k).
      wmBytes: C * H * 4,
      bytesPerEdit: { mean: round(mean(recordBytes)), max: Math.max(...recordBytes) },
      deltas: deltaStorage(edits.map((e) => e.delta)),
      // What each edit took before f16 deltas: mask (k) int32 and delta (C, k) f32.
      f32BytesPerEdit: k * 4 + C * k * 4,
      indexedDbGrowthBytes: usageBefore === null || usageAfter === null ? null : usageAfter - usageBefore,
    },
  };
}

/** The bytes of one edit record's arrays (mask and delta) at (C, H) and k, in f16 and in f32: the
 *  store's own record of an edit of those dims (its values do not change its size). */
function recordBytesAt(C: number, H: number, k: number) {
  const cols = Int32Array.from({ length: k }, (_, j) => j);
  const zero = new Float32Array(C * k);
  const bytes = (delta: Delta) =>
    memoirEditRecord('hub', { editId: 'e', slot: 0, prompt: '', target: '', cols, delta, steps: 0, loss: 0 });
  return {
    C,
    H,
    k,
    f16: memoirEditBytes(bytes(roundToF16(zero)!)),
    f32: memoirEditBytes(bytes({ dtype: 'f32', values: zero })),
  };
}

/** Per hub model, at the paper preset's k (28.6% of H) and the small-model k = H/8 (config.ts; k does not
 *  depend on the depth given). */
function hubRecordBytes() {
  return HUB_DIMS.map(({ model, C, H }) => ({
    model,
    paperK: recordBytesAt(C, H, defaultMemoirConfig({ layers: 24, H }, 'paper').k),
    eighthK: recordBytesAt(C, H, defaultMemoirConfig({ layers: 24, H }, 'last-zscore').k),
  }));
}

function benchRouting(H: number, k: number) {
  return storedCounts.map((E) => timeRouting(H, k, E, routingQueries));
}

async function main() {
  if (editCounts.length !== backends.length) throw new Error('give one edit count per backend');
  const client = startEngineWorker();
  const perBackend = [];
  for (const [i, backend] of backends.entries())
    perBackend.push(await benchEdits(client, backend, editCounts[i]));
  const { H, k } = perBackend[0].config;
  const adapter = await navigator.gpu?.requestAdapter();
  return {
    benchmark: 'memoir',
    model: modelName,
    edits: perBackend,
    hubRecordBytes: hubRecordBytes(),
    routing: { bundled: benchRouting(H, k), paperScale: benchRouting(PAPER_SCALE.H, PAPER_SCALE.k) },
    adapter: adapter ? { vendor: adapter.info.vendor, architecture: adapter.info.architecture } : null,
    userAgent: navigator.userAgent,
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
