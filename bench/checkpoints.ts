// Hub-shaped random checkpoints for the benchmarks (bench/load.ts, bench/device/gpu.ts): the config.json
// of SmolLM2-135M, Qwen2.5-0.5B and Qwen3-0.6B (from the registry of known models), a writer of random F32 or
// BF16 weights at full size (tensors sorted by name as transformers writes them), in one file or in shards
// with their index, and a fetch that streams such a folder from disk.
// Not trained models: their logits mean nothing; they have the real models' shapes, bytes and kernels.
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseConfig } from '../src/models/config';
import { KNOWN_MODELS } from '../src/models/registry';
import { FINAL_NORM, LM_HEAD, parameterTable } from '../src/engine/model/weights';

/** The config.json of a known hub model, as the Models view lists it (src/models/registry.ts). */
function knownConfig(repo: string) {
  const known = KNOWN_MODELS.find((m) => m.repo === repo);
  if (!known) throw new Error(`bench: ${repo} is not in KNOWN_MODELS`);
  return known.config;
}

export const HUB_SHAPES = {
  smollm2: { name: 'SmolLM2-135M', config: knownConfig('HuggingFaceTB/SmolLM2-135M') },
  qwen: { name: 'Qwen2.5-0.5B', config: knownConfig('Qwen/Qwen2.5-0.5B') },
  /** The same weights in 3 files with an index, as the hub holds larger checkpoints. */
  'qwen-sharded': { name: 'Qwen2.5-0.5B, 3 shards', config: knownConfig('Qwen/Qwen2.5-0.5B'), shards: 3 },
  qwen3: { name: 'Qwen3-0.6B', config: knownConfig('Qwen/Qwen3-0.6B') },
} as const;

export type HubShape = keyof typeof HUB_SHAPES;

/** The high 16 bits of each value (little-endian): bfloat16 by truncation. */
function highHalves(data: Float32Array): Uint16Array {
  const halves = new Uint16Array(data.buffer);
  const out = new Uint16Array(data.length);
  for (let i = 0; i < out.length; i++) out[i] = halves[2 * i + 1];
  return out;
}

/** Writes config.json and the weights one tensor at a time; returns their size. One model.safetensors,
 *  or with `shards` > 1 that many files split as transformers' save_pretrained does (tensors in the
 *  model's order, a new file where the running size passes each 1/shards of the total; within a file
 *  sorted by name) with the model.safetensors.index.json that names them. BF16 (what the hub's
 *  checkpoints hold) keeps the top half of each f32 value. */
export function writeCheckpoint(
  dir: string,
  configJson: Record<string, unknown>,
  dtype: 'F32' | 'BF16' = 'F32',
  shards = 1,
): number {
  const size = dtype === 'F32' ? 4 : 2;
  const table = [...parameterTable(parseConfig(configJson, 'bench'))];
  // the model's order: the final norm and the LM head after the layers
  const last = (name: string) => (name === FINAL_NORM || name === LM_HEAD ? 1 : 0);
  const inOrder = table.sort(([a], [b]) => last(a) - last(b));
  const bytesOf = (shape: number[]) => shape.reduce((a, d) => a * d, size);
  const total = inOrder.reduce((n, [, shape]) => n + bytesOf(shape), 0);
  const files: [string, number[]][][] = Array.from({ length: shards }, () => []);
  let start = 0;
  for (const [name, shape] of inOrder) {
    files[Math.floor((start / total) * shards)].push([name, shape]);
    start += bytesOf(shape);
  }
  writeSync(openSync(join(dir, 'config.json'), 'w'), JSON.stringify(configJson));
  const names = (i: number) =>
    shards === 1 ? 'model.safetensors' : `model-${pad(i + 1)}-of-${pad(shards)}.safetensors`;
  const weightMap: Record<string, string> = {};
  let written = 0;
  files.forEach((tensors, i) => {
    for (const [name] of tensors) weightMap[name] = names(i);
    written += writeSafetensors(join(dir, names(i)), tensors, dtype);
  });
  if (shards > 1) {
    const sorted = Object.fromEntries(Object.entries(weightMap).sort(([a], [b]) => (a < b ? -1 : 1)));
    const index = { metadata: { total_size: total }, weight_map: sorted };
    writeSync(openSync(join(dir, 'model.safetensors.index.json'), 'w'), JSON.stringify(index, null, 2));
  }
  return written;
}

const pad = (n: number) => String(n).padStart(5, '0');

/** xorshift32 uniform in [-1, 1), seeded by the tensor's name (FNV-1a): the same weights however the
 *  checkpoint is split into files. */
function xorshift(name: string): () => number {
  let seed = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) seed = Math.imul(seed ^ name.charCodeAt(i), 0x01000193);
  seed ||= 0x9e3779b9;
  return () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/** One safetensors file of random `tensors` (sorted by name, as the reference writer does); returns
 *  its size. */
function writeSafetensors(path: string, tensors: [string, number[]][], dtype: 'F32' | 'BF16'): number {
  const size = dtype === 'F32' ? 4 : 2;
  const names = [...tensors].sort(([a], [b]) => (a < b ? -1 : 1));
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, shape] of names) {
    const bytes = shape.reduce((a, d) => a * d, size);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const headerLen = json.length + ((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8 + headerLen, 0x20);
  prefix.writeBigUInt64LE(BigInt(headerLen), 0);
  json.copy(prefix, 8);
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  for (const [name, shape] of names) {
    const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
    // weights ~ 1/sqrt(fan-in), norms near 1, biases small
    const a = shape.length === 2 ? 1 / Math.sqrt(shape[1]) : 0.1;
    const base = name.endsWith('norm.weight') ? 1 : 0;
    const random = xorshift(name);
    for (let i = 0; i < data.length; i++) data[i] = base + random() * a;
    writeSync(fd, new Uint8Array(dtype === 'F32' ? data.buffer : highHalves(data).buffer));
  }
  closeSync(fd);
  return statSync(path).size;
}

/** fetch for "/bench/<model>/<file>" that streams the file from disk with its content-length. */
export function diskStream(root: string): typeof fetch {
  return async (input) => {
    const path = join(root, String(input).replace(/^\/bench\//, ''));
    try {
      const size = statSync(path).size;
      const body = Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as ReadableStream;
      return new Response(body, { headers: { 'content-length': String(size) } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
