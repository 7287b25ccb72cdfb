// Parser for the safetensors format (8-byte little-endian header length, JSON header, raw data) and
// for the shard index `model.safetensors.index.json`. Checks a file as the reference reader does before
// handing out any tensor, and refuses NaN/Inf values when a tensor is read. Reads F32, F16 and BF16:
// F16 stays as raw halves (the loader may upload it as f16), BF16 widens to f32 exactly.
// Not a writer (tests build files with `encodeSafetensors` below) and not a fetcher (see hub.ts).

import { EngineError } from '../engine/errors';
import type { HostTensor, TensorReader, TensorRows } from '../engine/model/tensor-reader';
import { decodeBF16, decodeF16 } from '../engine/quantize';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';
const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };
/** Exponent bits of each dtype: all set means Inf or NaN. */
const EXPONENT: Record<SafetensorsDtype, number> = { F32: 0x7f800000, F16: 0x7c00, BF16: 0x7f80 };

/** The reference reader's limit on the JSON header (safetensors' MAX_HEADER_SIZE), against DOS. */
export const MAX_HEADER_BYTES = 100_000_000;

const DAMAGED = 'the file is damaged or was not written as safetensors; download it again';

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number; // byte offsets relative to the start of the data section
  end: number;
}

/** A whole file in memory: the reference reader the streaming one (safetensors-stream.ts) is tested
 *  against, and a TensorReader for models built in tests. */
export class SafetensorsFile implements TensorReader {
  constructor(
    readonly description: string,
    readonly entries: Map<string, SafetensorsEntry>,
    private readonly bytes: Uint8Array, // the data section
  ) {}

  has(name: string): boolean {
    return this.entries.has(name);
  }

  shape(name: string): number[] | undefined {
    return this.entries.get(name)?.shape;
  }

  /** Copies the tensor out of the file buffer (offsets need not be aligned); refuses NaN and Inf. */
  get(name: string): HostTensor {
    const e = this.entries.get(name);
    if (!e) throw new EngineError('LOAD', `safetensors: ${this.description}: no tensor "${name}"`);
    return decodeTensor(this.description, name, e, this.bytes.slice(e.begin, e.end).buffer);
  }

  /** The tensor as f32 whatever its stored dtype. */
  getF32(name: string): { shape: number[]; data: Float32Array } {
    const t = this.get(name);
    return { shape: t.shape, data: t.dtype === 'f16' ? decodeF16(t.data) : t.data };
  }
}

/** A tensor's own bytes `raw` (exactly its size, aligned: taken over, not copied) as a HostTensor;
 *  refuses NaN and Inf, naming the tensor and the first bad index. */
export function decodeTensor(source: string, name: string, e: EntryType, raw: ArrayBuffer): HostTensor {
  checkFinite(source, name, e, raw);
  if (e.dtype === 'F32') return { shape: e.shape, dtype: 'f32', data: new Float32Array(raw) };
  if (e.dtype === 'F16') return { shape: e.shape, dtype: 'f16', data: new Uint16Array(raw) };
  return { shape: e.shape, dtype: 'f32', data: decodeBF16(new Uint16Array(raw)) };
}

/** Like decodeTensor for a weight (OC, C), without decoding it whole: a quantizer reads it rows at a
 *  time, so a half-precision checkpoint's tensor never exists as a whole f32 copy. */
export function tensorRows(source: string, name: string, e: EntryType, raw: ArrayBuffer): TensorRows {
  checkFinite(source, name, e, raw);
  const C = e.shape[1];
  if (e.dtype === 'F32') {
    const all = new Float32Array(raw);
    return { shape: e.shape, rows: (r0, r1) => all.subarray(r0 * C, r1 * C) };
  }
  const halves = new Uint16Array(raw);
  const decode = e.dtype === 'F16' ? decodeF16 : decodeBF16;
  return { shape: e.shape, rows: (r0, r1) => decode(halves.subarray(r0 * C, r1 * C)) };
}

type EntryType = Pick<SafetensorsEntry, 'dtype' | 'shape'>;

/** One integer pass over the tensor, while it is hot, instead of a pass over the whole file at parse
 *  time: only the tensors a model reads are checked. */
function checkFinite(source: string, name: string, e: EntryType, raw: ArrayBuffer): void {
  const bits = e.dtype === 'F32' ? new Uint32Array(raw) : new Uint16Array(raw);
  const mask = EXPONENT[e.dtype];
  for (let i = 0; i < bits.length; i++) {
    if ((bits[i] & mask) === mask) {
      const value = (bits[i] & ~mask) === 0 ? 'Inf' : 'NaN';
      throw new EngineError(
        'LOAD',
        `safetensors: ${source}: tensor "${name}" (${e.shape.join(', ')}) ${e.dtype} holds ${value} at flat index ${i} of ${bits.length}`,
        'the checkpoint itself is broken (e.g. saved after training diverged): pick another revision or model',
      );
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks one header entry against the data section's size; returns its problem, or the entry. */
function readEntry(value: unknown, dataBytes: number): SafetensorsEntry | string {
  if (!isObject(value)) return `must be {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`;
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype))
    return `has dtype ${JSON.stringify(dtype)}; only F32, F16, BF16 are supported`;
  if (!Array.isArray(shape) || !shape.every(isCount))
    return `has shape ${JSON.stringify(shape)}; expected a list of non-negative integers`;
  let count = 1;
  for (const d of shape) count *= d;
  const want = count * BYTES[dtype as SafetensorsDtype];
  if (!Number.isSafeInteger(want)) return `has shape (${shape.join(', ')}): its byte size overflows`;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount))
    return `has data_offsets ${JSON.stringify(offsets)}; expected [begin, end], non-negative integers`;
  const [begin, end] = offsets as [number, number];
  if (end < begin) return `has data_offsets [${begin}, ${end}]: end before begin`;
  if (end > dataBytes) return `spans bytes [${begin}, ${end}), past the data section's ${dataBytes} bytes`;
  if (end - begin !== want)
    return `(${shape.join(', ')}) ${dtype} needs ${want} bytes, data_offsets [${begin}, ${end}) hold ${end - begin}`;
  return { dtype: dtype as SafetensorsDtype, shape, begin, end };
}

/** Reads and checks a whole file as the reference reader does: header length within the file and
 *  under MAX_HEADER_BYTES, a JSON object of well-typed entries, and tensors that tile the data
 *  section exactly (sorted by offset, each begins where the last ended, the last ends the file:
 *  no overlap, no hole, no trailing bytes). `source` names the file in error messages. */
export function parseSafetensors(buffer: ArrayBuffer, source: string): SafetensorsFile {
  const { entries, dataStart } = parseSafetensorsHeader(buffer, buffer.byteLength, source);
  return new SafetensorsFile(source, entries, new Uint8Array(buffer, dataStart));
}

/** The checks of parseSafetensors on a file's start alone, for a reader that streams the rest:
 *  `prefix` holds at least its first 8 + header-length bytes, `fileBytes` is the whole file's size.
 *  Returns the entries and the byte offset where the data section starts. */
export function parseSafetensorsHeader(
  prefix: ArrayBuffer,
  fileBytes: number,
  source: string,
): { entries: Map<string, SafetensorsEntry>; dataStart: number } {
  const bad = (problem: string): never => {
    throw new EngineError('LOAD', `safetensors: ${source}: ${problem}`, DAMAGED);
  };
  if (fileBytes < 8) bad(`file is ${fileBytes} bytes, too short for a header`);
  const declared = new DataView(prefix).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES))
    bad(`header length ${declared} is over the limit of ${MAX_HEADER_BYTES}`);
  const headerLen = Number(declared);
  if (8 + headerLen > fileBytes) bad(`header length ${headerLen} exceeds the file size ${fileBytes}`);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(prefix, 8, headerLen));
    header = JSON.parse(text);
  } catch (e) {
    return bad(`header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isObject(header))
    return bad(`header must be a JSON object, got ${JSON.stringify(header)?.slice(0, 40)}`);
  const dataBytes = fileBytes - 8 - headerLen;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string'))
        bad(`__metadata__ must map strings to strings, got ${JSON.stringify(value).slice(0, 60)}`);
      continue;
    }
    const entry = readEntry(value, dataBytes);
    if (typeof entry === 'string') return bad(`tensor "${name}" ${entry}`);
    entries.set(name, entry);
  }
  const sorted = [...entries].sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const [name, e] of sorted) {
    if (e.begin < covered)
      bad(`tensor "${name}" [${e.begin}, ${e.end}) overlaps "${previous}" (ends at ${covered})`);
    if (e.begin > covered) bad(`bytes [${covered}, ${e.begin}) before tensor "${name}" belong to no tensor`);
    covered = e.end;
    previous = name;
  }
  if (covered !== dataBytes) bad(`the data section has ${dataBytes} bytes but its tensors end at ${covered}`);
  return { entries, dataStart: 8 + headerLen };
}

/** Shard files an index may name: plain names in the repo's folder, no paths or URLs. */
const SHARD_NAME = /^[\w-][\w.-]*\.safetensors$/;

/** model.safetensors.index.json → tensor name → shard file name. */
export function parseSafetensorsIndex(json: unknown, source: string): Map<string, string> {
  const bad = (problem: string): never => {
    throw new EngineError(
      'LOAD',
      `safetensors: ${source}: ${problem}`,
      'expected {"weight_map": {tensor: file}}',
    );
  };
  const map = isObject(json) ? json.weight_map : undefined;
  if (!isObject(map)) return bad(`weight_map is ${JSON.stringify(map)?.slice(0, 40)}`);
  const entries = Object.entries(map);
  if (entries.length === 0) bad('weight_map is empty');
  for (const [tensor, file] of entries) {
    if (typeof file !== 'string' || !SHARD_NAME.test(file) || file.includes('..'))
      bad(
        `weight_map["${tensor}"] is ${JSON.stringify(file)?.slice(0, 80)}; shards must be plain file names like model-00001-of-00002.safetensors`,
      );
  }
  return new Map(entries as [string, string][]);
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
