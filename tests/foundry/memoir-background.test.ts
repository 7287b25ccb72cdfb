// The shipped MEMOIR background statistics of the bundled facts model are what the app computes now
// (bit-equal on the CPU backend: same prompts, layer and code), so the file cannot go stale silently;
// and the worker's checks refuse them for another model, layer or prompt list. Regenerate with
// `npx tsx tools/foundry/memoir-background.ts`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../../src/editors/memoir/config';
import { computeBackgroundStats, type BackgroundStats } from '../../src/editors/memoir/tophash';
import { describeSource } from '../../src/models/hub';
import { DEFAULT_MODEL } from '../../src/models/registry';
import {
  decodeShippedBackground,
  SHIPPED_BACKGROUND_FILE,
  type ShippedExpectation,
} from '../../src/worker/shipped-background';
import { loadEditable, type Loaded } from '../../tools/eval/load';

const root = resolve(__dirname, '..', '..');
const dir = join(root, 'public', 'models', 'editscope-facts');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const shipped = () => readJson(join(dir, SHIPPED_BACKGROUND_FILE));

describe('editscope-facts shipped MEMOIR background statistics', () => {
  let loaded: Loaded;
  let want: ShippedExpectation;
  beforeAll(async () => {
    loaded = await loadEditable(dir, 'cpu', 'f32');
    const manifest = readJson(join(root, 'public', 'models', 'manifest.json'));
    want = {
      modelId: describeSource(DEFAULT_MODEL),
      layer: defaultMemoirConfig(loaded.model.dims, 'last-zscore').layer,
      H: loaded.model.dims.H,
      prompts: readJson(join(root, 'public', 'benchmarks', 'background-prompts.json')),
      weightsSha256: manifest.files['public/models/editscope-facts/model.safetensors'].sha256,
    };
  });
  afterAll(() => loaded.close());

  it('equal what the app computes from the weights and prompts it serves, bit for bit', async () => {
    const decoded = await decodeShippedBackground(shipped(), want);
    expect(decoded).not.toHaveProperty('mismatch');
    const { stats } = decoded as { stats: BackgroundStats };
    const now = await computeBackgroundStats(loaded.model, want.layer, want.prompts);
    for (const pooling of ['mean', 'last'] as const) {
      expect(stats.byPooling[pooling].mean).toEqual(now.byPooling[pooling].mean);
      expect(stats.byPooling[pooling].std).toEqual(now.byPooling[pooling].std);
    }
  });

  it('are refused for other weights, another layer or prompt list, and non-finite numbers', async () => {
    const refused = async (raw: unknown, change: Partial<ShippedExpectation>) =>
      'mismatch' in (await decodeShippedBackground(raw, { ...want, ...change }));
    expect(await refused(shipped(), { weightsSha256: '0'.repeat(64) })).toBe(true);
    expect(await refused(shipped(), { weightsSha256: undefined })).toBe(true);
    expect(await refused(shipped(), { layer: want.layer + 1 })).toBe(true);
    expect(await refused(shipped(), { prompts: [...want.prompts.slice(1), 'another prompt'] })).toBe(true);
    expect(await refused(shipped(), { modelId: 'HuggingFaceTB/SmolLM2-135M' })).toBe(true);
    const broken = shipped();
    broken.byPooling.last.std[7] = null;
    expect(await refused(broken, {})).toBe(true);
    const short = shipped();
    short.byPooling.mean.mean.pop();
    expect(await refused(short, {})).toBe(true);
    expect(await refused(shipped(), {})).toBe(false);
  });
});
