// Parity page: a bundled model's logits for given token ids from Editscope's engine (webgpu and cpu
// backends, f32) and from onnxruntime-web (wasm EP) running the model's own ONNX export, in one page.
// e2e/parity.spec.ts calls window.__parity and compares the three against PyTorch's golden logits.
// Not a benchmark: nothing is timed here.
import * as ort from 'onnxruntime-web';
import { type BackendName, createBackend } from '../../src/engine/backend';
import '../../src/engine/cpu/backend';
import '../../src/engine/webgpu/backend';
import { loadModel } from '../../src/models/load';
import { bundledSource } from '../../src/models/registry';

/** Per case, the (T, V) logits of every position, flattened row-major. */
export interface ParityLogits {
  engineWebgpu: number[][];
  engineCpu: number[][];
  onnxruntimeWeb: number[][];
  adapter: string;
}

declare global {
  interface Window {
    __parity?: (model: string, cases: number[][]) => Promise<ParityLogits>;
  }
}

async function engineLogits(name: BackendName, model: string, cases: number[][]): Promise<number[][]> {
  const transformer = await loadModel(await createBackend(name), bundledSource(model));
  try {
    const out: number[][] = [];
    for (const ids of cases) {
      out.push(Array.from(await transformer.forward(Int32Array.from(ids), { allLogits: true })));
    }
    return out;
  } finally {
    transformer.free();
  }
}

interface LlamaConfig {
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  hidden_size: number;
  head_dim?: number;
}

const int64 = (values: number[]) =>
  new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);

/** onnx/model.onnx with an empty KV cache (past length 0), as transformers.js feeds its first step. */
async function onnxruntimeLogits(model: string, cases: number[][]): Promise<number[][]> {
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = 1;
  const config = (await (await fetch(`/models/${model}/config.json`)).json()) as LlamaConfig;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  const session = await ort.InferenceSession.create(`/models/${model}/onnx/model.onnx`, {
    executionProviders: ['wasm'],
  });
  try {
    const out: number[][] = [];
    for (const ids of cases) {
      const feeds: Record<string, ort.Tensor> = {
        input_ids: int64(ids),
        attention_mask: int64(ids.map(() => 1)),
        position_ids: int64(ids.map((_, t) => t)),
      };
      const emptyPast = [1, config.num_key_value_heads, 0, headDim];
      for (let l = 0; l < config.num_hidden_layers; l++) {
        for (const kv of ['key', 'value']) {
          feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), emptyPast);
        }
      }
      // position_ids is passed only when the graph declares it (DESIGN §8).
      const used = Object.fromEntries(session.inputNames.map((name) => [name, feeds[name]]));
      const { logits } = await session.run(used);
      out.push(Array.from(logits.data as Float32Array));
    }
    return out;
  } finally {
    await session.release();
  }
}

window.__parity = async (model, cases) => {
  const adapter = await navigator.gpu?.requestAdapter();
  return {
    engineWebgpu: await engineLogits('webgpu', model, cases),
    engineCpu: await engineLogits('cpu', model, cases),
    onnxruntimeWeb: await onnxruntimeLogits(model, cases),
    adapter: adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() : 'none',
  };
};
document.getElementById('out')!.textContent = 'ready: call window.__parity(model, cases)';
