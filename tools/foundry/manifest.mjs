// Foundry's last step: write each model's README.md card, then public/models/manifest.json with
// the sha256 and size of every artifact, the measured metrics, and the quality bars they must meet.
// It records misses (passed: false) rather than throwing; the vitest check turns them into failures.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseCard, chosenOverlapRow, counterfactualCard, scopeCard } from './cards.mjs';
import { MEMOIR_FIGURE, overlapFigureSvg } from './overlap-figure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cache = join(here, '.cache');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// Quality bars from the foundry issue: [metric, op, value].
const BARS = {
  'editscope-facts': [
    ['fact_accuracy_train_templates', '>=', 0.95],
    ['fact_accuracy_heldout_templates', '>=', 0.8],
    ['safetensors_max_abs_logit_diff', '<=', 1e-4],
    ['onnx_fp32_max_abs_logit_diff', '<=', 1e-4],
    ['onnx_fp32_kv_cache_max_abs_logit_diff', '<=', 1e-4],
  ],
  'editscope-facts-counterfactual': [
    ['follows_edit_heldout_templates', '>=', 0.95],
    ['safetensors_max_abs_logit_diff', '<=', 1e-4],
    ['onnx_fp32_max_abs_logit_diff', '<=', 1e-4],
    ['onnx_fp32_kv_cache_max_abs_logit_diff', '<=', 1e-4],
  ],
  'editscope-scope': [
    ['roc_auc_heldout_templates', '>=', 0.99],
    ['safetensors_max_abs_logit_diff', '<=', 1e-4],
    ['onnx_fp32_max_abs_logit_diff', '<=', 1e-4],
  ],
};
const CARDS = {
  'editscope-facts': [baseCard, 'base'],
  'editscope-facts-counterfactual': [counterfactualCard, 'counterfactual'],
  'editscope-scope': [scopeCard, 'scope'],
};
const EXTRA_FILES = [
  'public/benchmarks/facts-edits.json',
  'public/benchmarks/background-prompts.json',
  'tests/fixtures/golden-logits.json',
];

function listFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

function fileEntry(path) {
  const data = readFileSync(path);
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

const check = (metrics, [metric, op, value]) => {
  const actual = metrics[metric];
  const passed = typeof actual === 'number' && (op === '>=' ? actual >= value : actual <= value);
  if (!passed) console.log(`manifest: BAR MISSED ${metric} = ${actual}, needs ${op} ${value}`);
  return { metric, op, value, actual, passed };
};

// MEMOIR's measurements on the base model, made after training by the app's own tools (not by the
// foundry); shown on the base card when present.
const optionalJson = (path) => (existsSync(join(root, path)) ? readJson(join(root, path)) : null);
const memoir = {
  overlap: optionalJson('bench/results/memoir-overlap.json'),
  // The app's preset as the app runs it, 10 prefix copies included (~16 min on this CPU).
  evalT100: optionalJson('bench/results/memoir-eval-lastzscore-T100.json'),
  // The same on the dev split, where τ was chosen (public/benchmarks/README.md).
  evalDev: optionalJson('bench/results/memoir-eval-lastzscore-dev-T100.json'),
  // Longer sequences of test edits, 100 records measured.
  evalLonger: [
    optionalJson('bench/results/memoir-eval-lastzscore-T300.json'),
    optionalJson('bench/results/memoir-eval-lastzscore-T1000.json'),
  ].filter((run) => run !== null),
};
// SERAC's evals at its threshold sweep (the scope card says where its routing threshold came from).
const serac = {
  evalT100: optionalJson('bench/results/serac-eval-T100.json'),
  evalDev: optionalJson('bench/results/serac-eval-dev-T100.json'),
  evalT1000: optionalJson('bench/results/serac-eval-T1000.json'),
};
const verify = readJson(join(cache, 'verify.json'));
const safetensors = readJson(join(cache, 'safetensors-check.json'));
const timings = readJson(join(cache, 'timings.json'));
const models = {};
const files = {};
for (const [name, [card, step]] of Object.entries(CARDS)) {
  const dir = join(root, 'public', 'models', name);
  const metrics = {
    ...readJson(join(cache, `metrics-${name}.json`)),
    ...verify[name],
    safetensors_max_abs_logit_diff: safetensors[name],
  };
  const context = {
    name,
    config: readJson(join(dir, 'config.json')),
    editscope: readJson(join(dir, 'editscope.json')),
    metrics,
    verify: verify[name],
    safetensors: safetensors[name],
    timing: metrics.train_seconds,
    memoir,
    serac,
  };
  writeFileSync(join(dir, 'README.md'), card(context));
  const chosen = context.editscope.memoir;
  const row = chosen && chosenOverlapRow(chosen, memoir.overlap);
  if (row?.histograms) {
    writeFileSync(join(dir, MEMOIR_FIGURE), overlapFigureSvg(row, chosen.tau, memoir.overlap.N));
  }
  const modelFiles = listFiles(dir).map((p) => relative(root, p));
  modelFiles.forEach((p) => (files[p] = fileEntry(join(root, p))));
  const bytes = modelFiles.reduce((sum, p) => sum + files[p].bytes, 0);
  models[name] = {
    role: context.editscope.role,
    bytes,
    build_seconds: timings[step],
    metrics,
    bars: BARS[name].map((bar) => check(metrics, bar)),
  };
}
EXTRA_FILES.forEach((p) => (files[p] = fileEntry(join(root, p))));

const records = readJson(join(root, EXTRA_FILES[0]));
const background = readJson(join(root, EXTRA_FILES[1]));
const benchmark = {
  records: records.length,
  base_correct_records: records.filter((r) => r.base_correct).length,
  background_prompts: background.length,
  bars: [
    check({ records: records.length }, ['records', '>=', 1000]),
    check({ background_prompts: background.length }, ['background_prompts', '>=', 100]),
  ],
};
const tokenizer = { ...verify.tokenizer, bars: [check(verify.tokenizer, ['mismatches', '<=', 0])] };
const manifest = {
  generated_by: 'npm run foundry (tools/foundry)',
  timings_seconds: timings,
  models,
  benchmark,
  tokenizer,
  files,
};
writeFileSync(join(root, 'public', 'models', 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
const missed = [...Object.values(models), benchmark, tokenizer]
  .flatMap((m) => m.bars)
  .filter((b) => !b.passed);
console.log(`manifest: ${Object.keys(files).length} files, ${missed.length} bars missed`);
