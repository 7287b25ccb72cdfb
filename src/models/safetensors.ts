// Parser for the safetensors format (8-byte little-endian header length, JSON header, raw data) and
// for the shard index `model.safetensors.index.json`. Reads F32, F16 and BF16 tensors into typed
// arrays: F16 stays as raw halves (the loader may upload it as f16), BF16 widens to f32 exactly.
// Not a writer (tests build files with `encodeSafetensors` below) and not a fetcher (see hub.ts).

import { EngineError } from '../engine/errors';
import { numel } from '../engine/shapes';
import { decodeBF16, decodeF16 } from './quantize';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';
const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number; // byte offsets relative to the start of the data section
  end: number;
}

/** A tensor read from a file: f16 keeps its raw half bits, everything else is f32. */
export type HostTensor =
  | { shape: number[]; dtype: 'f32'; data: Float32Array }
  | { shape: number[]; dtype: 'f16'; data: Uint16Array };

export class SafetensorsFile {
  constructor(
    readonly source: string,
    readonly entries: Map<string, SafetensorsEntry>,
    private readonly bytes: Uint8Array, // the data section
  ) {}

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Copies the tensor out of the file buffer (offsets need not be aligned). */
  get(name: string): HostTensor {
    const e = this.entries.get(name);
    if (!e) throw new EngineError('LOAD', `safetensors: ${this.source}: no tensor "${name}"`);
    const raw = this.bytes.slice(e.begin, e.end).buffer;
    if (e.dtype === 'F32') return { shape: e.shape, dtype: 'f32', data: new Float32Array(raw) };
    if (e.dtype === 'F16') return { shape: e.shape, dtype: 'f16', data: new Uint16Array(raw) };
    return { shape: e.shape, dtype: 'f32', data: decodeBF16(new Uint16Array(raw)) };
  }

  /** The tensor as f32 whatever its stored dtype. */
  getF32(name: string): { shape: number[]; data: Float32Array } {
    const t = this.get(name);
    return { shape: t.shape, data: t.dtype === 'f16' ? decodeF16(t.data) : t.data };
  }
}

/** `source` names the file in error messages. */
export function parseSafetensors(buffer: ArrayBuffer, source: string): SafetensorsFile {
  const bad = (problem: string): never => {
    throw new EngineError(
      'LOAD',
      `safetensors: ${source}: ${problem}`,
      'the download may be truncated; clear the cache and retry',
    );
  };
  if (buffer.byteLength < 8) bad(`file is ${buffer.byteLength} bytes, too short for a header`);
  const headerLen = Number(new DataView(buffer).getBigUint64(0, true));
  if (8 + headerLen > buffer.byteLength)
    bad(`header length ${headerLen} exceeds the file size ${buffer.byteLength}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLen)));
  } catch (e) {
    return bad(`header is not JSON (${(e as Error).message})`);
  }
  const data = new Uint8Array(buffer, 8 + headerLen);
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = value as { dtype: string; shape: number[]; data_offsets: number[] };
    if (!(dtype in BYTES)) {
      throw new EngineError(
        'LOAD',
        `safetensors: ${source}: tensor "${name}" has dtype ${dtype}; only F32, F16, BF16 are supported`,
      );
    }
    const [begin, end] = offsets;
    const want = numel(shape) * BYTES[dtype as SafetensorsDtype];
    if (end - begin !== want || end > data.byteLength) {
      bad(
        `tensor "${name}" (${shape.join(', ')}) ${dtype} spans bytes [${begin}, ${end}), expected ${want} bytes within ${data.byteLength}`,
      );
    }
    entries.set(name, { dtype: dtype as SafetensorsDtype, shape, begin, end });
  }
  return new SafetensorsFile(source, entries, data);
}

/** model.safetensors.index.json → tensor name → shard file name. */
export function parseSafetensorsIndex(json: unknown, source: string): Map<string, string> {
  const map = (json as { weight_map?: Record<string, string> } | null)?.weight_map;
  if (!map || typeof map !== 'object') {
    throw new EngineError('LOAD', `safetensors: ${source}: expected {"weight_map": {tensor: file}}`);
  }
  return new Map(Object.entries(map));
}

/** Builds a safetensors file in memory (F32 or F16 tensors); for tests and tools. */
export function encodeSafetensors(
  tensors: Record<string, { dtype: 'F32' | 'F16'; shape: number[]; data: Float32Array | Uint16Array }>,
): ArrayBuffer {
  const header: Record<string, unknown> = {
    __metadata__: { format: 'pt' },
  };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = {
      dtype: t.dtype,
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  // Pad the header with spaces to 8 bytes, as the reference writer does, so data starts aligned.
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.fill(0x20, 8, 8 + headerLen);
  out.set(json, 8);
  let at = 8 + headerLen;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out.buffer;
}
