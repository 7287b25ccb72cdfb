// Node-side loading for the eval CLI and the MEMOIR benches: a model (local directory in HF layout, or a
// hub repo id) onto the cpu or webgpu backend (Dawn via npm `webgpu`), its tokenizer (transformers.js),
// and JSON files from disk. Not the browser path: the app fetches through the worker.

import fs from 'node:fs';
import path from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { createBackend, type Backend, type BackendName } from '../../src/engine/backend';
import '../../src/engine/cpu/backend';
import { loadModel } from '../../src/models/load';
import type { Transformer } from '../../src/engine/model/transformer';
import { EngineEditableModel } from '../../src/editors/memoir/engine-adapter';
import { codecFromTokenizer, type TextCodec } from '../../src/models/codec';
import { fileUrl, type ModelSource } from '../../src/models/hub';
import type { WeightPrecision } from '../../src/engine/quantize';

export interface Loaded {
  readonly model: EngineEditableModel;
  readonly transformer: Transformer;
  /** The model's own tokenizer as text ↔ ids. */
  readonly codec: TextCodec;
  readonly tokenizer: PreTrainedTokenizer;
  /** Its editscope.json card (the bundled models have one), or null when it has none. */
  card(): Promise<unknown>;
  readonly backend: Backend;
  /** Frees the model and, for webgpu, the device, so the process can exit. */
  close(): void;
}

/** A fetch that serves `${base}/${repo}/${file}` URLs from disk (404 when missing). */
function diskFetch(): typeof fetch {
  return (async (input: string | URL | Request) => {
    const file = String(input);
    if (!fs.existsSync(file)) return new Response(null, { status: 404 });
    return new Response(fs.readFileSync(file), { headers: { 'content-type': 'application/octet-stream' } });
  }) as typeof fetch;
}

async function backendFor(name: BackendName): Promise<{ backend: Backend; destroy: () => void }> {
  if (name === 'cpu') return { backend: await createBackend('cpu'), destroy: () => {} };
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const { createWebGpuBackend } = await import('../../src/engine/webgpu/backend');
  const backend = await createWebGpuBackend({ gpu: create([]) });
  return { backend, destroy: () => backend.rt.ctx.device.destroy() };
}

/** `ref`: a directory on disk (e.g. public/models/editscope-facts) or a hub repo id. */
export async function loadEditable(
  ref: string,
  backendName: BackendName,
  precision: WeightPrecision,
): Promise<Loaded> {
  const local = fs.existsSync(ref);
  const abs = path.resolve(ref);
  const source: ModelSource = local
    ? { kind: 'local', base: path.dirname(abs), repo: path.basename(abs) }
    : { kind: 'hub', repo: ref };
  const fetchImpl = local ? diskFetch() : fetch;
  const json = async (file: string, optional = false) => {
    const res = await fetchImpl(fileUrl(source, file));
    if (optional && res.status === 404) return null;
    if (!res.ok) throw new Error(`eval: ${fileUrl(source, file)} answered ${res.status}`);
    return res.json();
  };
  const tokenizer = await tokenizerFrom(json);
  const { backend, destroy } = await backendFor(backendName);
  const transformer = await loadModel(backend, source, { precision, fetch: fetchImpl });
  const id = local ? `local:${path.basename(abs)}` : ref;
  const codec = codecFromTokenizer(tokenizer);
  const model = new EngineEditableModel(id, transformer, codec);
  return {
    model,
    transformer,
    codec,
    tokenizer,
    card: () => json('editscope.json', true),
    backend,
    close() {
      model.dispose();
      transformer.free();
      destroy();
    },
  };
}

/** A model folder's tokenizer from its two files, read by `json` (from disk or the hub). */
async function tokenizerFrom(json: (file: string) => Promise<unknown>): Promise<PreTrainedTokenizer> {
  return new PreTrainedTokenizer(
    (await json('tokenizer.json')) as object,
    (await json('tokenizer_config.json')) as object,
  );
}

/** The tokenizer of a model directory on disk (e.g. the scope classifier's, which has no decoder). */
export function localTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  return tokenizerFrom(async (file) => readJson(path.join(dir, file)));
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`eval: cannot read JSON from ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** Background prompts: a JSON array of strings or { prompts: [...] }. */
export function readBackground(file: string): string[] {
  const json = readJson(file);
  const list = Array.isArray(json) ? json : (json as { prompts?: unknown })?.prompts;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new Error(`eval: ${file} must be a JSON array of strings or { "prompts": [...] }`);
  }
  return list as string[];
}
