// The eval CLI: sequential MEMOIR or SERAC editing of T records from an edit file (ZsRE, CounterFact or
// the project's records: src/eval/formats) on the cpu or webgpu backend, then Rel/Gen/Loc/Neighborhood/EM
// and the method's routing report, written as one JSON object.
// Usage: npm run eval -- --method memoir|serac --edits <file> --T <n> --out <file> (args.ts).

import './raw-imports'; // first: the webgpu backend's WGSL `?raw` imports need its hooks
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultMemoirConfig, type MemoirConfig } from '../../src/editors/memoir/config';
import { deltaStorage } from '../../src/editors/memoir/delta';
import { routingReport } from '../../src/editors/memoir/diagnostics';
import { MemoirEditor } from '../../src/editors/memoir/editor';
import { trainedCounterfactual } from '../../src/editors/serac/counterfactual';
import { SeracEditor, type SeracLm } from '../../src/editors/serac/editor';
import { cardThreshold, ScopeClassifier } from '../../src/editors/serac/scope';
import { computeBackgroundStats } from '../../src/editors/memoir/tophash';
import { measureGateSweep, type Gated } from '../../src/eval/gate-sweep';
import { describeEditFile, readEditFile } from '../../src/eval/formats/detect';
import type { BenchRecord } from '../../src/eval/records';
import { summarize, summarizeByRelation } from '../../src/eval/metrics';
import { runSequentialEval, type RunProgress, type RunResult } from '../../src/eval/runner';
import { parseArgs, type CliOptions } from './args';
import { loadEditable, localTokenizer, readBackground, readJson, type Loaded } from './load';

function header(argv: readonly string[]) {
  return {
    command: `npm run eval -- ${argv.join(' ')}`,
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, ${os.platform()}`,
  };
}

/** One progress line on stderr per unit of work, unless --quiet. */
function progress(opts: CliOptions): (p: RunProgress) => void {
  let last = -1;
  return (p) => {
    if (opts.quiet || p.done === last) return;
    last = p.done;
    process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `);
  };
}

async function main(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  const { records: all, file } = readEdits(opts);
  if (opts.from >= all.length) {
    throw new Error(
      `eval: --from ${opts.from} is past the last of the ${all.length} records in ${opts.edits}`,
    );
  }
  const records = all.slice(opts.from);
  const T = opts.T ?? records.length;
  const { out, summary } =
    opts.method === 'serac'
      ? await runSerac(opts, argv, records, T)
      : await runMemoir(opts, argv, records, T);
  const text = JSON.stringify({ ...out, editsFile: file }, null, 2);
  if (opts.out) fs.writeFileSync(opts.out, `${text}\n`);
  else console.log(text);
  if (!opts.quiet) process.stderr.write(`${JSON.stringify(summary)}\n`);
}

/** The --edits file in any format formats/detect.ts reads; the format and the records kept and skipped
 *  (each with its reasons) go to stderr and into the result. Skipped records do not stop the run. */
function readEdits(opts: CliOptions) {
  let text: string;
  try {
    text = fs.readFileSync(opts.edits, 'utf8');
  } catch (e) {
    throw new Error(`eval: cannot read --edits ${opts.edits}: ${(e as Error).message}`, { cause: e });
  }
  const read = readEditFile(text, opts.edits);
  if (read.records.length === 0) {
    throw new Error(`eval: ${opts.edits}: ${describeEditFile(read)}; nothing to edit`);
  }
  const lines = [
    `edits: ${opts.edits}: ${describeEditFile(read)}`,
    ...read.skipped.flatMap((s) => s.problems.map((p) => `  skipped ${p}`)),
    ...read.unmeasured.map((u) => `  ${u}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  const file = {
    format: read.format.name,
    kept: read.records.length,
    skipped: read.skipped,
    unmeasured: read.unmeasured,
  };
  return { records: read.records, file };
}

async function runMemoir(
  opts: CliOptions,
  argv: readonly string[],
  records: readonly BenchRecord[],
  T: number,
) {
  const background = readBackground(opts.background);
  const loaded = await loadEditable(opts.model, opts.backend, opts.precision);
  try {
    const { model } = loaded;
    const overrides = Object.fromEntries(Object.entries(opts.memoir).filter(([, v]) => v !== undefined));
    const config: MemoirConfig = { ...defaultMemoirConfig(model.dims, opts.preset), ...overrides };
    const started = performance.now();
    const stats = await computeBackgroundStats(model, config.layer, background);
    const statsMillis = performance.now() - started;
    const editor = new MemoirEditor(model, config, stats, background);
    const result = await runSequentialEval(editor, records, {
      T,
      measure: opts.measure,
      onProgress: progress(opts),
    });
    if (!opts.quiet) process.stderr.write('\nrouting report...\n');
    const routing = await routingReport(editor, result.measured);
    const tauSweep = await sweep(opts, 'tau', editor, opts.taus, result);
    const out = {
      ...header(argv),
      model: model.id,
      dims: model.dims,
      backend: opts.backend,
      precision: opts.precision,
      edits: opts.edits,
      from: opts.from,
      method: 'memoir',
      preset: opts.preset,
      config,
      background: { file: opts.background, prompts: background.length, millis: Math.round(statsMillis) },
      T,
      measured: result.measured.length,
      summary: result.summary,
      byRelation: result.byRelation,
      routing,
      ...(tauSweep.length > 0 ? { tauSweep } : {}),
      millis: result.millis,
      editSteps: result.edits.map((e) => e.steps),
      // The stored deltas' dtypes and bytes; f16 sums are exact while |Wm| < 1 (memory.test.ts).
      deltas: {
        ...deltaStorage(editor.edits().map((e) => e.delta)),
        maxAbsWm: editor.snapshot().wm.reduce((m, w) => Math.max(m, Math.abs(w)), 0),
      },
      perRecord: result.perRecord,
    };
    return { out, summary: result.summary };
  } finally {
    loaded.close();
  }
}

/** The measured records re-measured with the editor's gate (`name`: tau | threshold) at each value,
 *  as { [name]: value, summary, byRelation }. */
async function sweep<E extends Gated<E>>(
  opts: CliOptions,
  name: 'tau' | 'threshold',
  editor: E,
  gates: readonly number[],
  result: RunResult,
) {
  const measured = await measureGateSweep(editor, gates, result.measured, result.baselines, {
    onGate: (gate) => opts.quiet || process.stderr.write(`measuring at ${name} ${gate}...\n`),
  });
  return measured.map(({ gate, perRecord }) => ({
    [name]: gate,
    summary: summarize(perRecord),
    byRelation: summarizeByRelation(perRecord),
  }));
}

/** A decoder for SERAC: the engine model from loadEditable and its own tokenizer. */
const seracLm = (loaded: Loaded): SeracLm => ({ transformer: loaded.transformer, codec: loaded.codec });

/** The scope model's editscope.json card, or null when its directory has none. */
function scopeCard(scopeDir: string): unknown {
  const card = path.join(scopeDir, 'editscope.json');
  return fs.existsSync(card) ? readJson(card) : null;
}

async function runSerac(
  opts: CliOptions,
  argv: readonly string[],
  records: readonly BenchRecord[],
  T: number,
) {
  const started = performance.now();
  // Released in reverse order of loading, also when a later load fails.
  const release: (() => unknown)[] = [];
  try {
    const base = await loadEditable(opts.model, opts.backend, opts.precision);
    release.unshift(() => base.close());
    const cf = await loadEditable(opts.counterfactual, opts.backend, opts.precision);
    release.unshift(() => cf.close());
    const onnx = path.join(opts.scope, 'onnx', 'model.onnx');
    const scope = await ScopeClassifier.load(
      ort,
      fs.readFileSync(onnx),
      await localTokenizer(opts.scope),
      onnx,
    );
    release.unshift(() => scope.release());
    const threshold = opts.threshold ?? cardThreshold(scopeCard(opts.scope));
    const editor = new SeracEditor(seracLm(base), trainedCounterfactual(seracLm(cf), '<sep>'), scope, {
      threshold,
    });
    const loadMillis = performance.now() - started;
    const result = await runSequentialEval(editor, records, {
      T,
      measure: opts.measure,
      onProgress: progress(opts),
    });
    if (!opts.quiet) process.stderr.write('\nscope report...\n');
    const reportStarted = performance.now();
    const routing = await scopeReport(editor, result.measured);
    const scopeMillis = performance.now() - reportStarted;
    const thresholdSweep = await sweep(opts, 'threshold', editor, opts.thresholds, result);
    const out = {
      ...header(argv),
      model: base.model.id,
      counterfactual: cf.model.id,
      scopeModel: onnx,
      backend: opts.backend,
      precision: opts.precision,
      edits: opts.edits,
      from: opts.from,
      method: 'serac',
      T,
      measured: result.measured.length,
      summary: result.summary,
      byRelation: result.byRelation,
      scope: { threshold, ...routing, millis: Math.round(scopeMillis) },
      ...(thresholdSweep.length > 0 ? { thresholdSweep } : {}),
      millis: { load: Math.round(loadMillis), ...result.millis },
      perRecord: result.perRecord,
    };
    return { out, summary: result.summary };
  } finally {
    for (const r of release) await r();
  }
}

/** How the scope classifier routed the measured records' prompts after all T edits: edit prompts and
 *  rephrases should reach their own edit, locality and neighborhood prompts no edit at all. */
async function scopeReport(editor: SeracEditor, records: readonly BenchRecord[]) {
  const count = { editPrompts: [0, 0], rephrases: [0, 0], locality: [0, 0], neighborhood: [0, 0] };
  const tally = async (key: keyof typeof count, prompt: string, hit: (routed: string | null) => boolean) => {
    count[key][0] += hit((await editor.probe(prompt)).routed) ? 1 : 0;
    count[key][1]++;
  };
  for (const r of records) {
    await tally('editPrompts', r.prompt, (id) => id === r.id);
    for (const p of r.rephrases) await tally('rephrases', p, (id) => id === r.id);
    for (const p of r.locality) await tally('locality', p.prompt, (id) => id !== null);
    for (const p of r.neighborhood ?? []) await tally('neighborhood', p.prompt, (id) => id !== null);
  }
  const fraction = ([hits, n]: number[]) => (n === 0 ? null : hits / n);
  return {
    editPromptsToOwnEdit: fraction(count.editPrompts),
    rephrasesToOwnEdit: fraction(count.rephrases),
    localityToAnyEdit: fraction(count.locality),
    neighborhoodToAnyEdit: fraction(count.neighborhood),
    prompts: Object.fromEntries(Object.entries(count).map(([k, [, n]]) => [k, n])),
  };
}

main(process.argv.slice(2)).then(
  () => process.exit(0), // npm webgpu (Dawn) keeps the event loop alive otherwise
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
