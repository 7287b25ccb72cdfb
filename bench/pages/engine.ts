// Engine benchmark page: prefill and decode speed of Editscope's engine against transformers.js
// (`text-generation` on the same model's ONNX, WebGPU EP, same precision where both exist) in one page
// and run, plus where the engine's decode time goes (per-kernel GPU time from timestamp queries).
// Publishes one JSON object as window.__benchResult; bench/engine.mjs and e2e/bench.spec.ts drive it.
// Query: ?model=&prompt=&tokens=&precision=f32|q8|q4&repeats=&transformersjs=0 (engine only)
import { env, pipeline, TextStreamer } from '@huggingface/transformers';
import { createBackend, tensorBytes } from '../../src/engine/backend';
import '../../src/engine/webgpu/backend';
import { isWebGpuBackend, type WebGpuBackend } from '../../src/engine/webgpu/backend';
import { argmax } from '../../src/engine/model/generate';
import { loadModel } from '../../src/models/load';
import { paramTensors } from '../../src/engine/model/params';
import type { Transformer } from '../../src/engine/model/transformer';
import { bundledSource } from '../../src/models/registry';
import { loadTokenizer, type PreTrainedTokenizer } from '../../src/models/tokenizer';
import type { WeightPrecision } from '../../src/engine/quantize';

declare global {
  interface Window {
    __benchResult?: unknown;
  }
}

const query = new URLSearchParams(location.search);
const modelName = query.get('model') ?? 'editscope-facts';
const promptText =
  query.get('prompt') ??
  'The capital of France is Paris. The capital of Japan is Tokyo. The capital of Peru is';
const newTokens = Number(query.get('tokens') ?? 32);
const precision = (query.get('precision') ?? 'f32') as WeightPrecision;
const repeats = Number(query.get('repeats') ?? 3);
const withTransformersJs = query.get('transformersjs') !== '0';
/** transformers.js dtype of the same precision: fp32 = onnx/model.onnx, q8 = onnx/model_quantized.onnx
 *  (int8 per output column, where the engine's q8 uses blocks of 32); no ONNX export for f16 / q4. */
const TRANSFORMERS_JS_DTYPE: Partial<Record<WeightPrecision, { dtype: 'fp32' | 'q8'; file: string }>> = {
  f32: { dtype: 'fp32', file: 'model.onnx' },
  q8: { dtype: 'q8', file: 'model_quantized.onnx' },
};

interface Speed {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  firstTokenMillis: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function medianSpeed(runs: Speed[]): Speed {
  return {
    prefillTokensPerSecond: median(runs.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(runs.map((r) => r.decodeTokensPerSecond)),
    firstTokenMillis: median(runs.map((r) => r.firstTokenMillis)),
  };
}

/** Greedy next token with EOS masked, as transformers.js does under min_new_tokens. */
function nextToken(model: Transformer, logits: Float32Array): number {
  for (const eos of model.config.eosTokenIds) logits[eos] = -Infinity;
  return argmax(logits);
}

/** One prefill over the prompt, then `newTokens` greedy decode steps (EOS never chosen). */
async function generate(model: Transformer, prompt: Int32Array, gpu: WebGpuBackend | null) {
  const cache = model.newCache(prompt.length + newTokens + 1);
  try {
    const t0 = performance.now();
    let logits = await model.forward(prompt, { cache });
    const t1 = performance.now();
    gpu?.resetCounters();
    const tokens: number[] = [];
    for (let i = 0; i < newTokens; i++) {
      tokens.push(nextToken(model, logits));
      logits = await model.forward(Int32Array.of(tokens[i]), { cache });
    }
    const t2 = performance.now();
    return { t0, t1, t2, tokens };
  } finally {
    cache.free();
  }
}

/** Repeats + 1 generations on the engine (the first compiles pipelines and is not counted). */
async function timeEngine(model: Transformer, prompt: Int32Array, tokenizer: PreTrainedTokenizer) {
  const gpu = isWebGpuBackend(model.backend) ? model.backend : null;
  const runs: Speed[] = [];
  let tokens: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const run = await generate(model, prompt, gpu);
    tokens = run.tokens;
    if (r === 0) continue;
    runs.push({
      prefillTokensPerSecond: prompt.length / ((run.t1 - run.t0) / 1000),
      decodeTokensPerSecond: newTokens / ((run.t2 - run.t1) / 1000),
      firstTokenMillis: run.t1 - run.t0,
    });
  }
  const counters = gpu?.counters; // of the last run's decode steps
  return {
    ...medianSpeed(runs),
    weightBytes: [...paramTensors(model.params)].reduce((n, t) => n + tensorBytes(t), 0),
    dispatchesPerToken: counters ? counters.dispatches / newTokens : null,
    submitsPerToken: counters ? counters.submits / newTokens : null,
    copiesPerToken: counters ? counters.copies / newTokens : null,
    text: tokenizer.decode(tokens),
  };
}

/** One more decode with per-kernel timestamps: GPU ms per token by kernel; host = wall - GPU. Null
 *  without 'timestamp-query'. Each dispatch then runs in its own pass, so the wall time is a bit higher. */
async function decodeBreakdown(model: Transformer, prompt: Int32Array) {
  const gpu = isWebGpuBackend(model.backend) ? model.backend : null;
  if (!gpu?.rt.device.features.has('timestamp-query')) return null;
  const cache = model.newCache(prompt.length + newTokens + 1);
  try {
    let logits = await model.forward(prompt, { cache });
    gpu.rt.startProfile();
    const t0 = performance.now();
    for (let i = 0; i < newTokens; i++) {
      logits = await model.forward(Int32Array.of(nextToken(model, logits)), { cache });
    }
    const wallMs = (performance.now() - t0) / newTokens;
    const kernels: Record<string, { dispatchesPerToken: number; msPerToken: number }> = {};
    let gpuMs = 0;
    for (const [name, t] of [...(await gpu.rt.stopProfile())].sort((a, b) => b[1].ms - a[1].ms)) {
      kernels[name] = { dispatchesPerToken: t.dispatches / newTokens, msPerToken: t.ms / newTokens };
      gpuMs += t.ms / newTokens;
    }
    return {
      method: 'timestamp-query around each dispatch (one pass per dispatch) over one decode run',
      wallMsPerToken: wallMs,
      gpuMsPerToken: gpuMs,
      hostAndIdleMsPerToken: wallMs - gpuMs,
      kernels,
    };
  } finally {
    cache.free();
  }
}

/** transformers.js on the model's ONNX: first token time = prefill; the rest = decode. */
async function timeTransformersJs(promptTokens: number) {
  const variant = TRANSFORMERS_JS_DTYPE[precision];
  if (!variant || !withTransformersJs) return null;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = '/models/';
  env.backends.onnx.wasm!.wasmPaths = '/ort/';
  const generator = await pipeline('text-generation', modelName, { device: 'webgpu', dtype: variant.dtype });
  const runs: Speed[] = [];
  let text = '';
  for (let r = 0; r < repeats + 1; r++) {
    // Called once per generated token (the prompt is skipped): the first call ends the prefill.
    const stamps: number[] = [];
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: () => {}, // the default prints every word to the console
      token_callback_function: () => stamps.push(performance.now()),
    });
    const t0 = performance.now();
    const out = (await generator(promptText, {
      max_new_tokens: newTokens,
      min_new_tokens: newTokens,
      do_sample: false,
      streamer,
    })) as { generated_text: string }[];
    text = out[0].generated_text.slice(promptText.length);
    if (r === 0) continue;
    const [first, last] = [stamps[0], stamps[stamps.length - 1]];
    runs.push({
      prefillTokensPerSecond: promptTokens / ((first - t0) / 1000),
      decodeTokensPerSecond: (stamps.length - 1) / ((last - first) / 1000),
      firstTokenMillis: first - t0,
    });
  }
  await generator.dispose();
  // A GET, not a HEAD: the preview server may send no content-length (compressed or chunked).
  const onnx = await fetch(`/models/${modelName}/onnx/${variant.file}`);
  return {
    ...medianSpeed(runs),
    dtype: variant.dtype,
    weightBytes: (await onnx.arrayBuffer()).byteLength, // the ONNX file: weights + graph
    text,
  };
}

async function main() {
  const source = bundledSource(modelName);
  const backend = await createBackend('webgpu');
  const tokenizer = await loadTokenizer(source);
  const prompt = Int32Array.from(tokenizer.encode(promptText));
  const model = await loadModel(backend, source, { precision });
  const engine = await timeEngine(model, prompt, tokenizer);
  const breakdown = await decodeBreakdown(model, prompt);
  model.free();
  const transformersJs = await timeTransformersJs(prompt.length);
  const adapter = await navigator.gpu.requestAdapter();
  return {
    benchmark: 'engine',
    model: modelName,
    precision,
    adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() : 'none',
    promptTokens: prompt.length,
    newTokens,
    repeats,
    engine,
    transformersJs,
    decodeRatio: transformersJs ? engine.decodeTokensPerSecond / transformersJs.decodeTokensPerSecond : null,
    prefillRatio: transformersJs
      ? engine.prefillTokensPerSecond / transformersJs.prefillTokensPerSecond
      : null,
    engineDecodeBreakdown: breakdown,
  };
}

main().then(
  (result) => {
    window.__benchResult = result;
    document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
  },
  (error: Error) => {
    window.__benchResult = { error: `${error.message}\n${error.stack ?? ''}` };
    document.getElementById('out')!.textContent = String(error);
  },
);
