// `npm run foundry`: rebuild the bundled models, benchmark and fixtures from scratch, step by step,
// printing each step's wall time (also kept in .cache/timings.json for the manifest).
// Options: `--from <step>` resumes at a step, `--only <step>` runs one step (steps of independent
// models may run side by side); env FOUNDRY_QUICK=1 shrinks training to ~1 min/model.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const python = '/usr/bin/python3';
const STEPS = [
  ['extract', 'node', ['extract.mjs']],
  ['tokenizer', python, ['py/train_tokenizer.py']],
  ['counterfactual', python, ['py/train_counterfactual.py']],
  ['scope', python, ['py/train_scope.py']],
  ['sentence-embedding', python, ['py/train_sentence_embedding.py']],
  ['base', python, ['py/train_base.py']],
  ['benchmark', python, ['py/benchmark.py']],
  ['safetensors', python, ['py/check_safetensors.py']],
  ['verify', 'node', ['verify.mjs']],
  ['memoir-background', 'npx', ['tsx', 'memoir-background.ts']],
  ['manifest', 'node', ['manifest.mjs']],
];
const OUTPUTS = ['editscope-facts', 'editscope-facts-counterfactual', 'editscope-scope'].map((m) =>
  join(root, 'public', 'models', m),
);

const option = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : null);
const from = option('--only') ?? option('--from') ?? STEPS[0][0];
const start = STEPS.findIndex(([name]) => name === from);
if (start < 0) {
  throw new Error(`foundry: unknown step "${from}". HINT: one of ${STEPS.map(([n]) => n).join(', ')}`);
}
const end = option('--only') ? start + 1 : STEPS.length;
// A whole run from scratch: old model folders go, so nothing stale survives into the manifest
// (`--only extract` must not delete them: it rebuilds none of them).
const fromScratch = start === 0 && !option('--only');
if (fromScratch) OUTPUTS.forEach((dir) => rmSync(dir, { recursive: true, force: true }));

const cache = join(here, '.cache');
mkdirSync(cache, { recursive: true });
const timingsFile = join(cache, 'timings.json');
// Re-read before each write: another `--only` run may have recorded its step meanwhile.
const readTimings = () => (existsSync(timingsFile) ? JSON.parse(readFileSync(timingsFile, 'utf8')) : {});
if (fromScratch) writeFileSync(timingsFile, '{}');
const env = { ...process.env, OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE' };

for (const [name, cmd, args] of STEPS.slice(start, end)) {
  const t0 = Date.now();
  console.log(`foundry: step ${name} ...`);
  const res = spawnSync(cmd, args, { cwd: here, stdio: 'inherit', env });
  const seconds = (Date.now() - t0) / 1000;
  if (res.status !== 0) {
    throw new Error(`foundry: step ${name} failed (exit ${res.status}) after ${seconds.toFixed(0)}s`);
  }
  writeFileSync(
    timingsFile,
    JSON.stringify({ ...readTimings(), [name]: Math.round(seconds * 10) / 10 }, null, 2),
  );
  console.log(`foundry: step ${name} took ${seconds.toFixed(1)}s`);
}
const timings = readTimings();
const total = Object.values(timings).reduce((a, b) => a + b, 0);
console.log(`foundry: done; recorded step times ${total.toFixed(0)}s in all: ${JSON.stringify(timings)}`);
