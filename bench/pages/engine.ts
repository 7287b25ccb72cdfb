// Engine benchmark page: prefill and decode speed of Editscope's engine against transformers.js
// (`text-generation` on the same model's ONNX, WebGPU EP) in the same page and run. Publishes one
// JSON object as window.__benchResult; bench/engine.mjs drives it. Query: ?model=&prompt=&tokens=&precision=
import { env, pipeline, TextStreamer } from '@huggingface/transformers';
import { createBackend } from '../../src/engine/backend';
import '../../src/engine/webgpu/backend';
import { isWebGpuBackend } from '../../src/engine/webgpu/backend';
import { loadModel } from '../../src/engine/model/load';
import { paramTensors } from '../../src/engine/model/params';
import { tensorBytes } from '../../src/engine/backend';
import type { Transformer } from '../../src/engine/model/transformer';
import { bundledSource } from '../../src/models/registry';
import { loadTokenizer } from '../../src/models/tokenizer';
import type { WeightPrecision } from '../../src/models/quantize';

declare global {
  interface Window {
    __benchResult?: unknown;
  }
}

const query = new URLSearchParams(location.search);
const modelName = query.get('model') ?? 'editscope-facts';
const promptText = query.get('prompt') ?? 'The capital of France is Paris. The capital of Japan is Tokyo. The capital of Peru is';
const newTokens = Number(query.get('tokens') ?? 32);
const precision = (query.get('precision') ?? 'f32') as WeightPrecision;
const repeats = Number(query.get('repeats') ?? 3);

interface Speed {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  firstTokenMillis: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times one prefill over the prompt and `newTokens` decode steps, EOS ignored, on the engine. */
async function timeEngine(model: Transformer, prompt: Int32Array): Promise<Speed & { dispatchesPerToken: number | null }> {
  const runs: Speed[] = [];
  let dispatchesPerToken: number | null = null;
  const gpu = isWebGpuBackend(model.backend) ? model.backend : null;
  for (let r = 0; r < repeats + 1; r++) {
    const cache = model.newCache(prompt.length + newTokens + 1);
    const t0 = performance.now();
    let logits = await model.forward(prompt, { cache });
    const t1 = performance.now();
    gpu?.resetCounters();
    for (let i = 0; i < newTokens; i++) logits = await model.forward(Int32Array.of(argmax(logits)), { cache });
    const t2 = performance.now();
    if (gpu) dispatchesPerToken = gpu.counters.dispatches / newTokens;
    cache.free();
    if (r === 0) continue; // warm-up: pipeline compilation
    runs.push({
      prefillTokensPerSecond: prompt.length / ((t1 - t0) / 1000),
      decodeTokensPerSecond: newTokens / ((t2 - t1) / 1000),
      firstTokenMillis: t1 - t0,
    });
  }
  return { ...medianSpeed(runs), dispatchesPerToken };
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

function medianSpeed(runs: Speed[]): Speed {
  return {
    prefillTokensPerSecond: median(runs.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(runs.map((r) => r.decodeTokensPerSecond)),
    firstTokenMillis: median(runs.map((r) => r.firstTokenMillis)),
  };
}

/** transformers.js on the model's ONNX: first token time = prefill; the rest = decode. */
async function timeTransformersJs(promptTokens: number): Promise<Speed & { dtype: string }> {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = '/models/';
  env.backends.onnx.wasm!.wasmPaths = '/ort/';
  const dtype = precision === 'q8' ? 'q8' : 'fp32';
  const generator = await pipeline('text-generation', modelName, { device: 'webgpu', dtype });
  const runs: Speed[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    let first = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      callback_function: () => {
        first ||= performance.now();
      },
    });
    const t0 = performance.now();
    await generator(promptText, {
      max_new_tokens: newTokens,
      min_new_tokens: newTokens,
      do_sample: false,
      streamer,
    });
    const t2 = performance.now();
    if (r === 0) continue;
    runs.push({
      prefillTokensPerSecond: promptTokens / ((first - t0) / 1000),
      decodeTokensPerSecond: (newTokens - 1) / ((t2 - first) / 1000),
      firstTokenMillis: first - t0,
    });
  }
  await generator.dispose();
  return { ...medianSpeed(runs), dtype };
}

async function main() {
  const source = bundledSource(modelName);
  const backend = await createBackend('webgpu');
  const tokenizer = await loadTokenizer(source);
  const prompt = Int32Array.from(tokenizer.encode(promptText));
  const model = await loadModel(backend, source, { precision });
  const weightBytes = [...paramTensors(model.params)].reduce((n, t) => n + tensorBytes(t), 0);
  const engine = await timeEngine(model, prompt);
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
    engine: { ...engine, weightBytes },
    transformersJs,
    decodeRatio: engine.decodeTokensPerSecond / transformersJs.decodeTokensPerSecond,
    prefillRatio: engine.prefillTokensPerSecond / transformersJs.prefillTokensPerSecond,
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
