// `npm run bench:load [-- --models smollm2,qwen --precisions f32,q8,q4 --backends cpu,webgpu --whole q8
// --dtype F32|BF16]`:
// what loading a real-size model costs in memory and time (#18 §3). Writes checkpoints of SmolLM2-135M's
// and Qwen2.5-0.5B's shapes (random weights, F32 or BF16, full size, tensors sorted by name as transformers
// writes them; `qwen-sharded`: Qwen2.5-0.5B in 3 shards with their index) to a temp dir, deleted at the
// end, and loads each through loadModel (config, streamed safetensors, uploadParams) from a file-backed
// fetch, per backend and precision. With `--whole P` it also loads a one-file checkpoint at P through the
// whole-file path loadModel used before streaming (the file fetched whole, parsed, uploaded), for
// comparison. Prints one JSON object; fileBytes is the size of all its safetensors files.
// Memory: process.memoryUsage() sampled every 5 ms and at each upload (node --expose-gc: collected
// before each load). `peakOverheadBytes` is the loader's own peak: JS memory (heap + ArrayBuffers) above
// the pre-load baseline, less what the backend holds by then (the CPU backend keeps the model in JS
// ArrayBuffers; WebGPU's buffers are not JS memory).
import '../tools/eval/raw-imports';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../src/engine/cpu/backend';
import { type Backend, createBackend, type HostData, tensorBytes } from '../src/engine/backend';
import { loadModel } from '../src/models/load';
import { freeParams, paramTensors, uploadParams } from '../src/engine/model/params';
import { loadConfig } from '../src/models/checkpoint';
import { fetchBytes } from '../src/models/hub';
import { parseSafetensors } from '../src/models/safetensors';
import type { WeightPrecision } from '../src/engine/quantize';
import { diskStream, HUB_SHAPES, type HubShape, writeCheckpoint } from './checkpoints';

const gc = (globalThis as { gc?: () => void }).gc;
const js = () => {
  const m = process.memoryUsage();
  return { js: m.heapUsed + m.arrayBuffers, rss: m.rss };
};

interface Run {
  model: string;
  backend: string;
  precision: WeightPrecision;
  path: 'stream' | 'whole';
  fileBytes: number;
  backendBytes: number;
  peakJsBytes: number;
  peakOverheadBytes: number;
  overheadOverFile: number;
  peakRssBytes: number;
  loadSeconds: number;
}

async function measure(
  backend: Backend,
  model: string,
  root: string,
  fileBytes: number,
  precision: WeightPrecision,
  path: 'stream' | 'whole',
): Promise<Run> {
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const base = js();
  let uploaded = 0;
  let peak = { js: 0, rss: 0, overhead: 0 };
  const sample = () => {
    const now = js();
    const own = backend.name === 'cpu' ? uploaded : 0;
    peak = {
      js: Math.max(peak.js, now.js),
      rss: Math.max(peak.rss, now.rss),
      overhead: Math.max(peak.overhead, now.js - base.js - own),
    };
  };
  const upload = backend.upload.bind(backend);
  backend.upload = (shape: readonly number[], host: HostData) => {
    sample(); // the tensor's host data (read, decoded, encoded) is alive here
    const t = upload(shape, host);
    uploaded += tensorBytes(t);
    return t;
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  const fetchFn = diskStream(root);
  const source = { kind: 'local', base: '/bench', repo: model } as const;
  let params;
  try {
    if (path === 'stream') {
      params = (await loadModel(backend, source, { fetch: fetchFn, precision })).params;
    } else {
      // The whole file fetched into memory, parsed, then uploaded: loadModel before streaming.
      const config = await loadConfig(source, { fetch: fetchFn });
      const file = await fetchBytes(source, 'model.safetensors', { fetch: fetchFn });
      params = await uploadParams(backend, config, parseSafetensors(file, 'model.safetensors'), precision);
    }
    await backend.sync();
  } finally {
    clearInterval(timer);
    backend.upload = upload;
  }
  sample();
  const seconds = (performance.now() - started) / 1000;
  const ropes = new Set(params.layers.map((l) => l.invFreq));
  const backendBytes = [...paramTensors(params), ...ropes].reduce((n, t) => n + tensorBytes(t), 0);
  freeParams(backend, params);
  return {
    model,
    backend: backend.name,
    precision,
    path,
    fileBytes,
    backendBytes,
    peakJsBytes: peak.js,
    peakOverheadBytes: peak.overhead,
    overheadOverFile: +(peak.overhead / fileBytes).toFixed(3),
    peakRssBytes: peak.rss,
    loadSeconds: +seconds.toFixed(2),
  };
}

async function webgpu(): Promise<Backend> {
  process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const { createWebGpuBackend } = await import('../src/engine/webgpu/backend');
  return createWebGpuBackend({ gpu: create([]) });
}

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'smollm2,qwen' },
      precisions: { type: 'string', default: 'f32,q8,q4' },
      backends: { type: 'string', default: 'cpu,webgpu' },
      whole: { type: 'string', default: 'q8' },
      dtype: { type: 'string', default: 'F32' },
    },
  });
  if (!gc) console.warn('bench:load: run with node --expose-gc for comparable numbers');
  const root = mkdtempSync(join(tmpdir(), 'editscope-bench-load-'));
  const runs: Run[] = [];
  const skipped: string[] = [];
  try {
    for (const key of values.models.split(',') as HubShape[]) {
      const spec = HUB_SHAPES[key];
      const dir = join(root, key);
      mkdirSync(dir);
      const shards = 'shards' in spec ? spec.shards : 1;
      const dtype = values.dtype === 'BF16' ? 'BF16' : 'F32';
      const fileBytes = writeCheckpoint(dir, spec.config, dtype, shards);
      for (const name of values.backends.split(',')) {
        let backend: Backend;
        try {
          backend = name === 'webgpu' ? await webgpu() : await createBackend('cpu');
        } catch (e) {
          skipped.push(`${spec.name} on ${name}: ${(e as Error).message}`);
          continue;
        }
        for (const precision of values.precisions.split(',') as WeightPrecision[]) {
          runs.push(await measure(backend, key, root, fileBytes, precision, 'stream'));
          console.warn(JSON.stringify(runs.at(-1)));
          if (shards === 1 && values.whole.split(',').includes(precision)) {
            runs.push(await measure(backend, key, root, fileBytes, precision, 'whole'));
            console.warn(JSON.stringify(runs.at(-1)));
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const models = Object.fromEntries(
    (values.models.split(',') as HubShape[]).map((k) => [k, HUB_SHAPES[k].name]),
  );
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { platform: platform(), cpus: cpus().length, cpu: cpus()[0]?.model, memBytes: totalmem() },
        node: process.version,
        command: `npm run bench:load -- ${process.argv.slice(2).join(' ')}`.trim(),
        models,
        runs,
        skipped,
      },
      null,
      2,
    ),
  );
}

await main();
