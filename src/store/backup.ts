// Backup files of one model's MEMOIR edits (the Edit view's Export / Import): every edit with what
// training made of it (mask columns, the exact Wm change), the memory's Wm and config (τ included), as a
// versioned JSON file with a SHA-256 checksum of its body; Float32/Int32/f16 data as little-endian base64,
// so a round trip is bit-exact. Decoding validates every field against the loaded model and throws
// BackupError with a short reason; it never touches storage (worker/memoir-session.ts does, on request).
//
// File (shape): { format: FORMAT, version: 2, modelId, exportedAt, sha256: hex(SHA-256(JSON(body))),
//   body: { memory: { config, C, H, wm: b64 f32 (C*H) }, edits: [{ id, prompt, target, createdAt, slot,
//   cols: b64 i32 (k), dtype: 'f16' | 'f32', delta: b64 of dtype (C*k), steps, loss }] } }
// Version 1 (before f16 deltas) had no dtype: its deltas are f32, and it is read as such.

import { validateMemoirConfig, type MemoirConfig } from '../editors/memoir/config';
import { isHalfNonFinite, type Delta } from '../editors/memoir/delta';
import type { MemoirEdit, MemoirSnapshot } from '../editors/memoir/editor';
import { EngineError } from '../engine/errors';
import { MAX_EDIT_TEXT } from '../lib/edit-text';

export const BACKUP_FORMAT = 'editscope-memoir-backup';
export const BACKUP_VERSION = 2;
/** Versions this app reads: 1 is version 2 with every delta f32 and no dtype field. */
const READS = [1, 2];

export class BackupError extends Error {
  override name = 'BackupError';
}

/** A backup's content: the snapshot a MemoirEditor is rebuilt from, and when each edit was made. */
export interface MemoirBackup {
  readonly snapshot: MemoirSnapshot;
  /** Creation time of each edit (ms since the epoch), by edit id. */
  readonly createdAt: ReadonlyMap<string, number>;
}

/** What the loaded model must match. */
export interface BackupTarget {
  readonly modelId: string;
  readonly C: number;
  readonly H: number;
  readonly layers: number;
}

// ---- bytes ----

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new BackupError(`${field} is not base64 text`);
  }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Little-endian whatever the platform's order, so a file reads the same everywhere. */
function encodeArray(a: Float32Array | Int32Array | Uint16Array): string {
  const view = new DataView(new ArrayBuffer(a.byteLength));
  a.forEach((x, i) => {
    if (a instanceof Float32Array) view.setFloat32(i * 4, x, true);
    else if (a instanceof Int32Array) view.setInt32(i * 4, x, true);
    else view.setUint16(i * 2, x, true);
  });
  return toBase64(new Uint8Array(view.buffer));
}

function decodeFloats(text: unknown, field: string, length: number): Float32Array {
  const view = sizedView(text, field, length);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = view.getFloat32(i * 4, true);
    if (!Number.isFinite(out[i])) throw new BackupError(`${field}[${i}] is ${out[i]}, not a finite number`);
  }
  return out;
}

function decodeInts(text: unknown, field: string, length: number): Int32Array {
  const view = sizedView(text, field, length);
  return Int32Array.from({ length }, (_, i) => view.getInt32(i * 4, true));
}

/** Binary16 bit patterns, none of them Inf or NaN. */
function decodeHalves(text: unknown, field: string, length: number): Uint16Array {
  const view = sizedView(text, field, length, 2);
  const out = Uint16Array.from({ length }, (_, i) => view.getUint16(i * 2, true));
  const bad = out.findIndex(isHalfNonFinite);
  if (bad >= 0) throw new BackupError(`${field}[${bad}] is f16 Inf or NaN, not a finite number`);
  return out;
}

/** Edit `field`'s delta, of its dtype ('f16' | 'f32'; version 1 files: f32). */
function decodeDelta(r: Fields, version: unknown, field: string, length: number): Delta {
  const dtype = version === 1 ? 'f32' : r.dtype;
  if (dtype === 'f16') return { dtype, bits: decodeHalves(r.delta, `${field}.delta`, length) };
  if (dtype === 'f32') return { dtype, values: decodeFloats(r.delta, `${field}.delta`, length) };
  throw new BackupError(`${field}.dtype is not f16 or f32`);
}

function sizedView(text: unknown, field: string, length: number, width = 4): DataView {
  const bytes = fromBase64(text, field);
  if (bytes.length !== length * width) {
    throw new BackupError(`${field} holds ${bytes.length / width} numbers, expected ${length}`);
  }
  return new DataView(bytes.buffer);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- encode ----

/** The backup file's text. */
export async function encodeBackup(
  { snapshot, createdAt }: MemoirBackup,
  exportedAt = Date.now(),
): Promise<string> {
  const body = {
    memory: { config: snapshot.config, C: snapshot.C, H: snapshot.H, wm: encodeArray(snapshot.wm) },
    edits: snapshot.edits.map((e) => ({
      id: e.editId,
      prompt: e.prompt,
      target: e.target,
      createdAt: createdAt.get(e.editId) ?? exportedAt,
      slot: e.slot,
      cols: encodeArray(e.cols),
      dtype: e.delta.dtype,
      delta: encodeArray(e.delta.dtype === 'f16' ? e.delta.bits : e.delta.values),
      steps: e.steps,
      loss: e.loss,
    })),
  };
  const file = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    modelId: snapshot.modelId,
    exportedAt,
    sha256: await sha256(JSON.stringify(body)),
    body,
  };
  return JSON.stringify(file);
}

// ---- decode ----

/** A config's fields, in defaultMemoirConfig's order (a re-export is then the same text). */
const CONFIG_KEYS: readonly (keyof MemoirConfig)[] = [
  'layer',
  'k',
  'tau',
  'pooling',
  'normalize',
  'lr',
  'weightDecay',
  'clipNorm',
  'maxSteps',
  'stopLoss',
  'prefixCopies',
  'prefixWords',
  'seed',
];

type Fields = Record<string, unknown>;

function object(value: unknown, field: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BackupError(`${field} is not an object`);
  }
  return value as Fields;
}

function finite(r: Fields, key: string, field: string): number {
  const v = r[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new BackupError(`${field}.${key} is not a finite number`);
  return v;
}

function text(r: Fields, key: string, field: string): string {
  const v = r[key];
  if (typeof v !== 'string' || !v.trim()) throw new BackupError(`${field}.${key} is not a non-empty string`);
  if (v.length > MAX_EDIT_TEXT) {
    throw new BackupError(
      `${field}.${key} is ${v.length} characters long, above the ${MAX_EDIT_TEXT} an edit may have`,
    );
  }
  return v;
}

/** The backup in `file`'s text, checked field by field against `target` (the loaded model). */
export async function decodeBackup(file: string, target: BackupTarget): Promise<MemoirBackup> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file);
  } catch {
    throw new BackupError('the file is not JSON (is it an Editscope backup?)');
  }
  const head = object(parsed, 'the file');
  if (head.format !== BACKUP_FORMAT) throw new BackupError('the file is not an Editscope backup');
  if (!READS.includes(head.version as number)) {
    throw new BackupError(
      `the backup is format version ${String(head.version)}; this app reads versions ${READS.join(' and ')}`,
    );
  }
  if (head.modelId !== target.modelId) {
    throw new BackupError(`the backup is of model ${String(head.modelId)}, not the loaded ${target.modelId}`);
  }
  const body = object(head.body, 'body');
  if (typeof head.sha256 !== 'string' || head.sha256 !== (await sha256(JSON.stringify(body)))) {
    throw new BackupError('the checksum does not match: the file was changed or damaged');
  }
  const memory = object(body.memory, 'memory');
  const C = finite(memory, 'C', 'memory');
  const H = finite(memory, 'H', 'memory');
  if (C !== target.C || H !== target.H) {
    throw new BackupError(
      `the memory is (C, H)=(${C}, ${H}); the loaded model's is (${target.C}, ${target.H})`,
    );
  }
  const given = object(memory.config, 'memory.config');
  // Only the fields a config has: anything else in the file is dropped, not carried into the store.
  const config = Object.fromEntries(CONFIG_KEYS.map((key) => [key, given[key]])) as unknown as MemoirConfig;
  try {
    validateMemoirConfig(config, target);
  } catch (error) {
    // A field of the wrong type can make the check itself throw (e.g. prefixWords not a list).
    throw new BackupError(
      error instanceof EngineError ? error.message : 'memory.config is not a MEMOIR config',
    );
  }
  if (!Array.isArray(body.edits)) throw new BackupError('edits is not a list');
  const createdAt = new Map<string, number>();
  const slots = new Set<number>();
  const edits = body.edits.map((value, i): MemoirEdit => {
    const field = `edits[${i}]`;
    const r = object(value, field);
    const editId = text(r, 'id', field);
    const slot = finite(r, 'slot', field);
    if (createdAt.has(editId)) throw new BackupError(`${field}.id ${editId} appears twice`);
    if (!Number.isInteger(slot) || slot < 0 || slots.has(slot)) {
      throw new BackupError(`${field}.slot ${slot} is not a free slot (an integer ≥ 0 used once)`);
    }
    const cols = decodeInts(r.cols, `${field}.cols`, config.k);
    const outside = cols.find((c) => c < 0 || c >= H);
    if (outside !== undefined) throw new BackupError(`${field}.cols holds ${outside}, outside [0, ${H})`);
    createdAt.set(editId, finite(r, 'createdAt', field));
    slots.add(slot);
    return {
      editId,
      slot,
      prompt: text(r, 'prompt', field),
      target: text(r, 'target', field),
      cols,
      delta: decodeDelta(r, head.version, field, C * config.k),
      steps: finite(r, 'steps', field),
      loss: finite(r, 'loss', field),
    };
  });
  const wm = decodeFloats(memory.wm, 'memory.wm', C * H);
  return { snapshot: { modelId: target.modelId, config, C, H, wm, edits }, createdAt };
}
