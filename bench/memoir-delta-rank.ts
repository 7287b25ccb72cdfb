// Benchmark: would a factored delta (U·Aᵀ, U (C, r), A (k, r)) store a MEMOIR edit in fewer bytes than
// the dense f16 delta it stores (delta.ts)? SGD keeps each edit's change in the span of the masked
// activations at the batch's token positions, so its rank is at most min(C, k, positions). Trains the
// first N records sequentially as the eval does (app preset) and reports, per edit, the positions, the
// singular values' tail, the rank r that keeps the truncation's relative Frobenius error under each of a
// few bounds (f16 rounding itself is ≈ 2^-12 relative), and r·(C + k)·2 bytes against C·k·2.
// Prints one JSON object. Run: npx tsx bench/memoir-delta-rank.ts [--N 10] [--out FILE]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { defaultMemoirConfig } from '../src/editors/memoir/config';
import { deltaValues } from '../src/editors/memoir/delta';
import { MemoirEditor } from '../src/editors/memoir/editor';
import { computeBackgroundStats } from '../src/editors/memoir/tophash';
import { editBatch } from '../src/editors/memoir/trainer';
import { parseRecords } from '../src/eval/records';
import { loadEditable, readBackground, readJson } from '../tools/eval/load';

const { values: opts } = parseArgs({
  options: { N: { type: 'string', default: '10' }, out: { type: 'string' } },
});
const MODEL = 'public/models/editscope-facts';
const EDITS = 'public/benchmarks/facts-edits.json';
const BACKGROUND = 'public/benchmarks/background-prompts.json';
const BOUNDS = [1e-2, 1e-3, 2 ** -12];

/** Eigenvalues of the symmetric n×n matrix g (row-major, overwritten): cyclic Jacobi rotations. */
function symmetricEigenvalues(g: Float64Array, n: number): number[] {
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += g[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = g[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (g[q * n + q] - g[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let i = 0; i < n; i++) {
          const gip = g[i * n + p];
          const giq = g[i * n + q];
          g[i * n + p] = c * gip - s * giq;
          g[i * n + q] = s * gip + c * giq;
        }
        for (let i = 0; i < n; i++) {
          const gpi = g[p * n + i];
          const gqi = g[q * n + i];
          g[p * n + i] = c * gpi - s * gqi;
          g[q * n + i] = s * gpi + c * gqi;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => Math.max(0, g[i * n + i])).sort((a, b) => b - a);
}

/** Singular values² of delta (C, k) as the eigenvalues of delta·deltaᵀ (C, C). */
function squaredSingularValues(delta: Float32Array, C: number, k: number): number[] {
  const g = new Float64Array(C * C);
  for (let a = 0; a < C; a++) {
    for (let b = a; b < C; b++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += delta[a * k + j] * delta[b * k + j];
      g[a * C + b] = g[b * C + a] = s;
    }
  }
  return symmetricEigenvalues(g, C);
}

/** The smallest r whose truncation leaves at most `bound` of the Frobenius norm. */
function rankFor(s2: number[], bound: number): number {
  const total = s2.reduce((a, b) => a + b, 0);
  let tail = total;
  for (let r = 0; r < s2.length; r++) {
    if (Math.sqrt(tail / total) <= bound) return r;
    tail -= s2[r];
  }
  return s2.length;
}

interface EditRank {
  id: string;
  dtype: string;
  steps: number;
  /** Token positions of the training batch: the rank's bound from the activations. */
  positions: number;
  ranks: { bound: number; rank: number; factoredF16Bytes: number }[];
}

const loaded = await loadEditable(MODEL, 'cpu', 'f32');
try {
  const { model } = loaded;
  const { C, H } = model.dims;
  const config = defaultMemoirConfig(model.dims, 'last-zscore');
  const { k } = config;
  const background = readBackground(BACKGROUND);
  const stats = await computeBackgroundStats(model, config.layer, background);
  const editor = new MemoirEditor(model, config, stats, background);
  const records = parseRecords(readJson(EDITS), EDITS).slice(0, Number(opts.N));
  const edits: EditRank[] = [];
  for (const [i, r] of records.entries()) {
    await editor.applyEdit({ id: r.id, prompt: r.prompt, target: r.target_new });
    const stored = editor.edits().at(-1)!;
    const batch = editBatch(model, r.prompt, r.target_new, background, config, config.seed + i);
    const positions = batch.reduce((n, s) => n + s.ids.length, 0);
    const s2 = squaredSingularValues(deltaValues(stored.delta), C, k);
    const ranks = BOUNDS.map((bound) => {
      const rank = rankFor(s2, bound);
      return { bound, rank, factoredF16Bytes: rank * (C + k) * 2 };
    });
    edits.push({ id: r.id, dtype: stored.delta.dtype, steps: stored.steps, positions, ranks });
    process.stderr.write(`\r${i + 1}/${records.length}`);
  }
  const mean = (f: (e: EditRank) => number) => edits.reduce((a, e) => a + f(e), 0) / edits.length;
  const result = {
    benchmark: 'memoir-delta-rank',
    command: `npx tsx bench/memoir-delta-rank.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, ${os.platform()}`,
    model: model.id,
    dims: { C, H, k },
    denseF16Bytes: C * k * 2,
    meanPositions: mean((e) => e.positions),
    meanRank: BOUNDS.map((bound, b) => ({ bound, rank: mean((e) => e.ranks[b].rank) })),
    edits,
  };
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  if (opts.out) writeFileSync(opts.out, `${json}\n`);
} finally {
  loaded.close();
}
