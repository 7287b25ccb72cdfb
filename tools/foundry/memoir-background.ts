// Writes the bundled facts model's MEMOIR background statistics next to its weights
// (public/models/editscope-facts/memoir-background.json) with the app's own code on the CPU backend:
// the prompts the app serves, the layer the app edits this model at, both poolings. Not a trainer: run it
// after the weights or the prompts change (`npx tsx tools/foundry/memoir-background.ts`), before the manifest
// step (run.mjs runs it there).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import { computeBackgroundStats } from '../../src/editors/memoir/tophash';
import { describeSource } from '../../src/models/hub';
import { DEFAULT_MODEL } from '../../src/models/registry';
import {
  encodeShippedBackground,
  SHIPPED_BACKGROUND_FILE,
  WEIGHTS_FILE,
} from '../../src/worker/shipped-background';
import { loadEditable } from '../eval/load';

const root = resolve(import.meta.dirname, '..', '..');
const name = 'editscope-facts';
const dir = join(root, 'public', 'models', name);

const prompts: string[] = JSON.parse(
  readFileSync(join(root, 'public', 'benchmarks', 'background-prompts.json'), 'utf8'),
);
// The manifest records the same hash of the same file, which the worker compares with this one.
const sha256 = createHash('sha256')
  .update(readFileSync(join(dir, WEIGHTS_FILE)))
  .digest('hex');

const loaded = await loadEditable(dir, 'cpu', 'f32');
// The bundled model is a local source, which the worker edits with the 'last-zscore' preset.
const { layer } = defaultMemoirConfig(loaded.model.dims, 'last-zscore');
const stats = await computeBackgroundStats(loaded.model, layer, prompts);
loaded.close();
const shipped = await encodeShippedBackground(stats, {
  modelId: describeSource(DEFAULT_MODEL),
  weights: { file: WEIGHTS_FILE, sha256 },
  prompts,
});
writeFileSync(join(dir, SHIPPED_BACKGROUND_FILE), JSON.stringify(shipped) + '\n');
console.log(`memoir-background: ${name} layer ${layer}, H ${stats.H}, ${prompts.length} prompts`);
