// Foundry step: check the written artifacts from Node, where onnxruntime lives (Python has none).
// Tokenizer: transformers.js ids equal the Python trainer's ids on sample texts. ONNX: fp32 and
// int8 logits against PyTorch's, with and without a KV cache (the counterfactual's exports live in
// .cache/onnx-editscope-facts-counterfactual/, not in public/: the app never loads them). Results go
// to .cache/verify.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env } from '@huggingface/transformers';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const models = join(root, 'public', 'models');
const cache = join(here, '.cache');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

async function tokenizerParity() {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = models + '/';
  const tok = await AutoTokenizer.from_pretrained('editscope-facts');
  const cases = readJson(join(cache, 'tokcheck.json'));
  const mismatches = cases.filter(([text, ids]) => JSON.stringify(tok.encode(text)) !== JSON.stringify(ids));
  mismatches
    .slice(0, 3)
    .forEach(([text]) => console.log(`verify: tokenizer mismatch on ${JSON.stringify(text)}`));
  return { texts: cases.length, mismatches: mismatches.length };
}

const maxAbsDiff = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const i64 = (arr, dims) => new ort.Tensor('int64', BigInt64Array.from(arr.map(BigInt)), dims);

/** Run a llama ONNX graph on `ids` with `past` (or an empty cache); -> { logits, present }. */
async function llamaStep(session, config, ids, start, past) {
  const heads = config.num_key_value_heads;
  const hs = config.hidden_size / config.num_attention_heads;
  const feeds = {
    input_ids: i64(ids, [1, ids.length]),
    attention_mask: i64(new Array(start + ids.length).fill(1), [1, start + ids.length]),
    position_ids: i64(
      ids.map((_, i) => start + i),
      [1, ids.length],
    ),
  };
  for (let l = 0; l < config.num_hidden_layers; l++) {
    for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${l}.${kv}`] =
        past?.[`present.${l}.${kv}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, hs]);
    }
  }
  const out = await session.run(feeds);
  return { logits: Array.from(out.logits.data), present: out };
}

async function llamaDiffs(name, onnxDir, reference) {
  const config = readJson(join(models, name, 'config.json'));
  const result = {};
  for (const [label, file] of [
    ['fp32', 'model.onnx'],
    ['int8', 'model_quantized.onnx'],
  ]) {
    const session = await ort.InferenceSession.create(join(onnxDir, file));
    let full = 0;
    let cached = 0;
    for (const c of reference.cases) {
      const expected = c.logits.flat();
      full = Math.max(full, maxAbsDiff((await llamaStep(session, config, c.input_ids, 0)).logits, expected));
      // Same prompt in two calls: the second half reads the first half's KV cache.
      const cut = Math.floor(c.input_ids.length / 2);
      const first = await llamaStep(session, config, c.input_ids.slice(0, cut), 0);
      const second = await llamaStep(session, config, c.input_ids.slice(cut), cut, first.present);
      cached = Math.max(cached, maxAbsDiff([...first.logits, ...second.logits], expected));
    }
    result[`onnx_${label}_max_abs_logit_diff`] = full;
    result[`onnx_${label}_kv_cache_max_abs_logit_diff`] = cached;
  }
  return result;
}

async function encoderDiffs(name) {
  const ref = readJson(join(cache, `reference-${name}.json`));
  const dims = [ref.input_ids.length, ref.input_ids[0].length];
  const result = {};
  for (const [label, file] of [
    ['fp32', 'model.onnx'],
    ['int8', 'model_quantized.onnx'],
  ]) {
    const session = await ort.InferenceSession.create(join(models, name, 'onnx', file));
    const out = await session.run({
      input_ids: i64(ref.input_ids.flat(), dims),
      attention_mask: i64(ref.attention_mask.flat(), dims),
    });
    result[`onnx_${label}_max_abs_logit_diff`] = maxAbsDiff(Array.from(out.logits.data), ref.logits.flat());
  }
  return result;
}

const report = {
  tokenizer: await tokenizerParity(),
  'editscope-facts': await llamaDiffs(
    'editscope-facts',
    join(models, 'editscope-facts', 'onnx'),
    readJson(join(root, 'tests/fixtures/golden-logits.json')),
  ),
  'editscope-facts-counterfactual': await llamaDiffs(
    'editscope-facts-counterfactual',
    join(cache, 'onnx-editscope-facts-counterfactual'),
    readJson(join(cache, 'reference-editscope-facts-counterfactual.json')),
  ),
  'editscope-scope': await encoderDiffs('editscope-scope'),
};
writeFileSync(join(cache, 'verify.json'), JSON.stringify(report, null, 2));
console.log(`verify: ${JSON.stringify(report)}`);
