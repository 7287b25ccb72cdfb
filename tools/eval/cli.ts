// The eval CLI: sequential MEMOIR editing of T records from a ZsRE-like file on the cpu or webgpu
// backend, then Rel/Gen/Loc/Neighborhood/EM and MEMOIR's routing report, written as one JSON object.
// Usage: npm run eval -- --method memoir --edits <file> --T <n> --out <file> (see args.ts).

import fs from 'node:fs';
import os from 'node:os';
import { defaultMemoirConfig, type MemoirConfig } from '../../src/editors/memoir/config';
import { routingReport } from '../../src/editors/memoir/diagnostics';
import { MemoirEditor } from '../../src/editors/memoir/editor';
import { computeBackgroundStats } from '../../src/editors/memoir/tophash';
import { parseRecords } from '../../src/eval/records';
import { summarize, summarizeByRelation } from '../../src/eval/metrics';
import { measureRecords, measuredIndices, runSequentialEval } from '../../src/eval/runner';
import { parseArgs } from './args';
import { loadEditable, readBackground, readJson } from './load';

async function main(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  const records = parseRecords(readJson(opts.edits), opts.edits);
  const T = opts.T ?? records.length;
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
    let last = -1;
    const result = await runSequentialEval(editor, records, {
      T,
      measure: opts.measure,
      onProgress: (p) => {
        if (opts.quiet || p.done === last) return;
        last = p.done;
        process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `);
      },
    });
    if (!opts.quiet) process.stderr.write('\nrouting report...\n');
    const measured = measuredIndices(T, opts.measure ?? T).map((i) => records[i]);
    const routing = await routingReport(editor, measured);
    // τ only gates at inference: the same trained memory (masks and deltas) re-measured under each τ.
    const tauSweep = [];
    for (const tau of opts.taus) {
      if (!opts.quiet) process.stderr.write(`measuring at tau ${tau}...\n`);
      const gated = { ...config, tau };
      const view = new MemoirEditor(model, gated, stats, background, { ...editor.snapshot(), config: gated });
      const rows = await measureRecords(view, result.measured, result.baselines);
      tauSweep.push({ tau, summary: summarize(rows), byRelation: summarizeByRelation(rows) });
    }
    const out = {
      command: `npm run eval -- ${argv.join(' ')}`,
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}, ${os.platform()}`,
      model: model.id,
      dims: model.dims,
      backend: opts.backend,
      precision: opts.precision,
      edits: opts.edits,
      method: 'memoir',
      preset: opts.preset,
      config,
      background: { file: opts.background, prompts: background.length, millis: Math.round(statsMillis) },
      T,
      measured: measured.length,
      summary: result.summary,
      byRelation: result.byRelation,
      routing,
      ...(tauSweep.length > 0 ? { tauSweep } : {}),
      millis: result.millis,
      editSteps: result.edits.map((e) => e.steps),
      perRecord: result.perRecord,
    };
    const text = JSON.stringify(out, null, 2);
    if (opts.out) fs.writeFileSync(opts.out, `${text}\n`);
    else console.log(text);
    if (!opts.quiet) process.stderr.write(`${JSON.stringify(result.summary)}\n`);
  } finally {
    loaded.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0), // npm webgpu (Dawn) keeps the event loop alive otherwise
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
