// The eval CLI: sequential MEMOIR or SERAC editing of T records from an edit file (ZsRE, CounterFact or
// the project's records: src/eval/formats) on the cpu or webgpu backend, then Rel/Gen/Loc/Neighborhood/EM
// and the method's routing report, written as one JSON object.
// Usage: npm run eval -- --method memoir|serac --edits <file> --T <n> --out <file> (args.ts).

import './raw-imports'; // first: the webgpu backend's WGSL `?raw` imports need its hooks
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { MemoirConfig } from '../../src/editors/memoir/config';
import { deltaStorage } from '../../src/editors/memoir/delta';
import { routingReport } from '../../src/editors/memoir/diagnostics';
import { MemoirEditor } from '../../src/editors/memoir/editor';
import { calibrateScope } from '../../src/editors/serac/calibrate-scope';
import {
  counterfactualFor,
  describeFormat,
  type Counterfactual,
} from '../../src/editors/serac/counterfactual';
import { SeracEditor, type SeracLm } from '../../src/editors/serac/editor';
import { EmbeddingScope } from '../../src/editors/serac/embedding-scope';
import { parseCalibrationSet } from '../../src/eval/calibration-set';
import { describeSource, parseModelRef, type ModelSource } from '../../src/models/hub';
import { BASE_COUNTERFACTUAL, DEFAULT_MODEL, seracCompanionsFor } from '../../src/models/registry';
import { cardThreshold, ScopeClassifier } from '../../src/editors/serac/scope';
import { computeBackgroundStats } from '../../src/editors/memoir/tophash';
import { measureGateSweep, type Gated } from '../../src/eval/gate-sweep';
import { describeEditFile, readEditFile } from '../../src/eval/formats/detect';
import type { BenchRecord } from '../../src/eval/records';
import { summarize, summarizeByRelation } from '../../src/eval/metrics';
import { runSequentialEval, type RunProgress, type RunResult } from '../../src/eval/runner';
import { parseArgs, type CliOptions } from './args';
import { presetConfig } from './calibration';
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
    const preset = await presetConfig(opts.preset, model, opts.model, {
      precision: opts.precision,
      calibrationSet: opts.calibrationSet,
      background,
      quiet: opts.quiet,
    });
    const { used } = preset;
    if (!opts.quiet) {
      process.stderr.write(
        `memoir preset ${used.requested}: ${used.label}, τ ${used.tau} (${used.source})\n`,
      );
    }
    const config: MemoirConfig = { ...preset.config, ...overrides };
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
      preset: used,
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

/** The calibration set the app ships (public/calibration), read from disk. */
const CALIBRATION_SET = 'public/calibration/calibration-set.json';

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
    const companions = seracCompanionsOnDisk(opts);
    if (!opts.quiet) process.stderr.write(`serac companions:\n${describeCompanions(companions)}\n`);
    const base = await loadEditable(opts.model, opts.backend, opts.precision);
    release.unshift(() => base.close());
    let counterfactual: Counterfactual;
    if (companions.counterfactual.ref === null) {
      counterfactual = counterfactualFor(seracLm(base), base.tokenizer, null);
    } else {
      const cf = await loadEditable(companions.counterfactual.ref, opts.backend, opts.precision);
      release.unshift(() => cf.close());
      counterfactual = counterfactualFor(seracLm(cf), cf.tokenizer, await cf.card());
    }
    const { scope, threshold, thresholdSource, calibration } = await loadScope(opts, base, companions.scope);
    release.unshift(() => scope.release());
    const editor = new SeracEditor(seracLm(base), counterfactual, scope, { threshold });
    const used = {
      scope: { ...companions.scope, threshold, thresholdSource, ...(calibration ? { calibration } : {}) },
      counterfactual: { ...companions.counterfactual, form: describeFormat(counterfactual.format) },
    };
    if (!opts.quiet) {
      process.stderr.write(
        `serac threshold ${threshold} (${thresholdSource}); counterfactual reads ${used.counterfactual.form}\n`,
      );
    }
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
      companions: used,
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

/** A companion on disk or the hub: `ref` a directory or hub repo (null: the base model itself). */
interface CompanionOnDisk {
  readonly kind: string;
  readonly ref: string | null;
  readonly reason: string;
}

/** The app's choice of companions for --model (registry.ts seracCompanionsFor, the bundled folder read
 *  as the bundled model), as directories or hub repos, with --scope and --counterfactual in its place. */
function seracCompanionsOnDisk(opts: CliOptions): {
  scope: CompanionOnDisk;
  counterfactual: CompanionOnDisk;
} {
  const bundledDir = (name: string) => path.join('public', 'models', name);
  const isBundledBase = path.resolve(opts.model) === path.resolve(bundledDir(DEFAULT_MODEL.repo));
  const abs = path.resolve(opts.model);
  const base: ModelSource = isBundledBase
    ? DEFAULT_MODEL
    : fs.existsSync(abs)
      ? { kind: 'local', base: path.dirname(abs), repo: path.basename(abs) }
      : parseModelRef(opts.model);
  const chosen = seracCompanionsFor(base);
  // The app's sources are bundled (served under /models) or hub repos: the former are folders here.
  const refOf = (source: ModelSource) =>
    source.kind === 'local' ? bundledDir(source.repo) : describeSource(source);
  const given = 'given by the command line';
  const scope: CompanionOnDisk = opts.scope
    ? { kind: isCrossEncoder(opts.scope) ? 'cross-encoder' : 'embedding', ref: opts.scope, reason: given }
    : { kind: chosen.scope.kind, ref: refOf(chosen.scope.source), reason: chosen.scope.reason };
  const { counterfactual: cf } = chosen;
  const counterfactual: CompanionOnDisk =
    opts.counterfactual === BASE_COUNTERFACTUAL
      ? { kind: 'base', ref: null, reason: given }
      : opts.counterfactual
        ? { kind: 'model', ref: opts.counterfactual, reason: given }
        : { kind: cf.kind, ref: cf.kind === 'base' ? null : refOf(cf.source), reason: cf.reason };
  return { scope, counterfactual };
}

function describeCompanions(c: { scope: CompanionOnDisk; counterfactual: CompanionOnDisk }): string {
  return [
    `  scope: ${c.scope.ref} (${c.scope.kind}): ${c.scope.reason}`,
    `  counterfactual: ${c.counterfactual.ref ?? 'the base model itself'}: ${c.counterfactual.reason}`,
  ].join('\n');
}

/** A folder holding a SERAC cross-encoder (its card says so), as the bundled scope model. */
function isCrossEncoder(ref: string): boolean {
  const card = path.join(ref, 'editscope.json');
  return fs.existsSync(card) && (readJson(card) as { role?: unknown }).role === 'serac-scope';
}

/** The scope model and the threshold SERAC routes with: --threshold, else a cross-encoder's card, else
 *  an embedding model's calibration for --model on the shipped calibration set (made now). */
async function loadScope(opts: CliOptions, base: Loaded, scope: CompanionOnDisk) {
  const ref = scope.ref!;
  if (scope.kind === 'cross-encoder') {
    const onnx = path.join(ref, 'onnx', 'model.onnx');
    const classifier = await ScopeClassifier.load(
      ort,
      fs.readFileSync(onnx),
      await localTokenizer(ref),
      onnx,
    );
    const card = cardThreshold(readJson(path.join(ref, 'editscope.json')));
    return {
      scope: classifier,
      threshold: opts.threshold ?? card,
      thresholdSource: opts.threshold === undefined ? 'its card' : '--threshold',
      calibration: null,
    };
  }
  const source: ModelSource = fs.existsSync(ref)
    ? { kind: 'local', base: path.dirname(path.resolve(ref)), repo: path.basename(ref) }
    : parseModelRef(ref);
  const embedding = await EmbeddingScope.load(source);
  if (opts.threshold !== undefined) {
    return { scope: embedding, threshold: opts.threshold, thresholdSource: '--threshold', calibration: null };
  }
  if (!opts.quiet) process.stderr.write(`calibrating the scope threshold on ${CALIBRATION_SET}...\n`);
  const calibration = await calibrateScope(embedding, parseCalibrationSet(readJson(CALIBRATION_SET)), {
    modelId: base.model.id,
    scopeModel: ref,
  });
  return {
    scope: embedding,
    threshold: calibration.threshold,
    thresholdSource: `calibrated for ${base.model.id} on ${CALIBRATION_SET}: ${calibration.reason}`,
    calibration: { threshold: calibration.threshold, paraphraseOwn: calibration.paraphraseOwnAtThreshold },
  };
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
