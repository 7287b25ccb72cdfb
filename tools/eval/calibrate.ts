// Calibrate MEMOIR for one model on the calibration set and print the record (calibration.ts) as JSON:
// how public/models/editscope-facts/memoir-calibration.json is made. A model directory under
// public/models is recorded under the id the app gives a bundled model (/models/<name>).
// Usage: npx tsx tools/eval/calibrate.ts [--model dir|repo] [--precision f32|q8|q4] [--backend cpu|webgpu]
//          [--set calibration-set.json] [--background prompts.json] [--out file] [--quiet]

import './raw-imports'; // first: the webgpu backend's WGSL `?raw` imports need its hooks
import fs from 'node:fs';
import path from 'node:path';
import { bundledSource } from '../../src/models/registry';
import { describeSource } from '../../src/models/hub';
import { calibrateNow, DEFAULT_CALIBRATION_SET } from './calibration';
import { loadEditable, readBackground } from './load';

const USAGE =
  'usage: npx tsx tools/eval/calibrate.ts [--model <dir|hub repo>] [--precision f32|q8|q4] ' +
  '[--backend cpu|webgpu] [--set <calibration-set.json>] [--background <prompts.json>] [--out <file>] [--quiet]';

function parse(argv: readonly string[]) {
  const o = {
    model: 'public/models/editscope-facts',
    precision: 'f32' as 'f32' | 'q8' | 'q4',
    backend: 'cpu' as 'cpu' | 'webgpu',
    set: DEFAULT_CALIBRATION_SET,
    background: 'public/benchmarks/background-prompts.json',
    out: undefined as string | undefined,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, v] = [argv[i], argv[i + 1]];
    if (flag === '--quiet') {
      o.quiet = true;
      continue;
    }
    if (v === undefined) throw new Error(`calibrate: ${flag} needs a value\n${USAGE}`);
    i++;
    if (flag === '--model') o.model = v;
    else if (flag === '--set') o.set = v;
    else if (flag === '--background') o.background = v;
    else if (flag === '--out') o.out = v;
    else if (flag === '--precision' && ['f32', 'q8', 'q4'].includes(v)) o.precision = v as typeof o.precision;
    else if (flag === '--backend' && ['cpu', 'webgpu'].includes(v)) o.backend = v as typeof o.backend;
    else throw new Error(`calibrate: unknown flag or value "${flag} ${v}"\n${USAGE}`);
  }
  return o;
}

async function main(argv: string[]) {
  const o = parse(argv);
  const loaded = await loadEditable(o.model, o.backend, o.precision);
  try {
    const started = performance.now();
    const calibration = await calibrateNow(
      loaded.model,
      o.model,
      o.set,
      readBackground(o.background),
      o.precision,
      o.quiet,
    );
    const abs = path.resolve(o.model);
    const bundled = fs.existsSync(o.model) && path.dirname(abs) === path.resolve('public/models');
    const record = bundled
      ? { ...calibration, modelId: describeSource(bundledSource(path.basename(abs))) }
      : calibration;
    const text = `${JSON.stringify(record, null, 1)}\n`;
    if (o.out) fs.writeFileSync(o.out, text);
    else process.stdout.write(text);
    if (!o.quiet) {
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${record.reason}\n(${secs} s)\n`);
    }
  } finally {
    loaded.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
