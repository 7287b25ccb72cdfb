// Checks the committed foundry artifacts without retraining: manifest hashes and quality bars,
// the tokenizer through transformers.js, and the base model's ONNX logits against PyTorch's
// golden values (onnxruntime-node CPU via transformers.js). Rebuild them with `npm run foundry`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultMemoirConfig } from '../../src/editors/memoir/config';

const root = resolve(__dirname, '..', '..');
const modelsDir = join(root, 'public', 'models');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface Bar {
  metric: string;
  op: string;
  value: number;
  actual: number;
  passed: boolean;
}
interface Golden {
  model: string;
  cases: { prompt: string; input_ids: number[]; logits: number[][] }[];
}

beforeAll(() => {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = modelsDir + '/';
});

describe('editscope-facts MEMOIR values', () => {
  it('the model card states the values the app edits it with', () => {
    const { memoir } = readJson(join(modelsDir, 'editscope-facts', 'editscope.json'));
    const config = readJson(join(modelsDir, 'editscope-facts', 'config.json'));
    const app = defaultMemoirConfig(
      { layers: config.num_hidden_layers, H: config.intermediate_size },
      memoir.preset,
    );
    expect(memoir).toEqual({
      preset: 'last-zscore',
      layer: app.layer,
      ffn_width: config.intermediate_size,
      k: app.k,
      tau: app.tau,
      pooling: app.pooling,
      normalize: app.normalize,
      prefix_copies: app.prefixCopies,
    });
  });
});

describe('foundry manifest', () => {
  const manifest = () => readJson(join(modelsDir, 'manifest.json'));

  it('lists files that exist with the recorded sha256', () => {
    const entries = Object.entries(manifest().files) as [string, { sha256: string; bytes: number }][];
    expect(entries.length).toBeGreaterThan(20);
    for (const [path, { sha256, bytes }] of entries) {
      const full = join(root, path);
      expect(existsSync(full), `${path} is missing`).toBe(true);
      const data = readFileSync(full);
      expect(data.length, `${path} size`).toBe(bytes);
      expect(createHash('sha256').update(data).digest('hex'), `${path} sha256`).toBe(sha256);
    }
  });

  it('records metrics that meet every quality bar', () => {
    const { models, benchmark, tokenizer } = manifest();
    const groups = [...Object.values(models), benchmark, tokenizer] as { bars: Bar[] }[];
    const bars = groups.flatMap((g) => g.bars);
    expect(bars.length).toBeGreaterThan(10);
    for (const bar of bars) {
      const ok = bar.op === '>=' ? bar.actual >= bar.value : bar.actual <= bar.value;
      expect(ok && bar.passed, `${bar.metric} = ${bar.actual}, needs ${bar.op} ${bar.value}`).toBe(true);
    }
  });
});

describe('editscope-facts tokenizer (transformers.js)', () => {
  it('loads from local files and round-trips text', async () => {
    const tok = await AutoTokenizer.from_pretrained('editscope-facts');
    for (const text of [
      'The capital of France is Paris.',
      "Côte d'Ivoire, 1851 — naïve  spaces\tand tabs!",
    ]) {
      const ids = tok.encode(text);
      expect(ids[0]).toBe(tok.bos_token_id);
      expect(tok.decode(ids, { skip_special_tokens: true })).toBe(text);
    }
    expect(tok.encode('a<sep>b', { add_special_tokens: false })).toContain(tok.sep_token_id);
  });
});

describe('editscope-facts ONNX fp32 (transformers.js, onnxruntime-node)', () => {
  const golden: Golden = readJson(join(root, 'tests', 'fixtures', 'golden-logits.json'));

  it('matches the PyTorch golden logits and greedy-completes a fact', async () => {
    const tok = await AutoTokenizer.from_pretrained(golden.model);
    const model = await AutoModelForCausalLM.from_pretrained(golden.model, { dtype: 'fp32', device: 'cpu' });
    for (const c of golden.cases) {
      expect(tok.encode(c.prompt)).toEqual(c.input_ids);
      const n = c.input_ids.length;
      const ids = new Tensor('int64', BigInt64Array.from(c.input_ids.map(BigInt)), [1, n]);
      const mask = new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
      const { logits } = await model({ input_ids: ids, attention_mask: mask });
      const expected = c.logits.flat();
      const got = logits.data as Float32Array;
      expect(got.length).toBe(expected.length);
      const maxDiff = expected.reduce((m, x, i) => Math.max(m, Math.abs(x - got[i])), 0);
      expect(maxDiff, `${c.prompt}: max abs logit diff`).toBeLessThanOrEqual(1e-4);
    }
    const inputs = tok('The capital of France is');
    const out = (await model.generate({ ...inputs, max_new_tokens: 4, do_sample: false })) as Tensor;
    const text = tok.decode(Array.from(out.data as BigInt64Array, Number), { skip_special_tokens: true });
    expect(text.startsWith('The capital of France is Paris')).toBe(true);
    await model.dispose();
  });
});
