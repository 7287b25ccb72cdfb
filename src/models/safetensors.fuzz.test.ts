// Seeded fuzz run of the safetensors parser: 10,000 files mutated from valid ones (bit flips, cuts,
// header lengths, JSON junk, offset games, dtype/shape junk, huge numbers, NaN/Inf data). Every file
// must be refused with a LOAD error or accepted with every tensor readable, and the parser's verdict
// must agree with `specValid`, a second reading of the format written here from the spec, not from
// safetensors.ts. Per-rule unit tests are in safetensors.test.ts.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors';
import { rng } from '../../tests/helpers/random';
import { safetensorsBytes } from '../../tests/helpers/safetensors-bytes';
import { encodeF16 } from '../engine/quantize';
import { encodeSafetensors, parseSafetensors } from './safetensors';

const CASES = 10_000;
const SIZES = new Map<unknown, bigint>([
  ['F32', 4n],
  ['F16', 2n],
  ['BF16', 2n],
]);

const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a value of `dtype` at `at` is finite, read through DataView. */
function finiteAt(view: DataView, at: number, dtype: unknown): boolean {
  if (dtype === 'F32') return Number.isFinite(view.getFloat32(at, true));
  const half = view.getUint16(at, true);
  if (dtype === 'BF16') return Number.isFinite(new Float32Array(Uint32Array.of(half << 16).buffer)[0]);
  return ((half >> 10) & 0x1f) !== 0x1f; // F16: exponent field 31 is Inf or NaN
}

/** The format read from the spec with BigInt arithmetic: header length ≤ 1e8 and within the file,
 *  a UTF-8 JSON object header, `__metadata__` a string map, every other key {dtype in F32/F16/BF16,
 *  shape of integers exact in a JS number, data_offsets [begin, end] with end - begin = numel × size},
 *  the tensors tiling the data section exactly, and (this app's rule) every value finite. */
function specValid(buf: ArrayBuffer): boolean {
  const bytes = new Uint8Array(buf);
  if (bytes.length < 8) return false;
  let n = 0n;
  for (let i = 7; i >= 0; i--) n = n * 256n + BigInt(bytes[i]);
  if (n > 100_000_000n || 8n + n > BigInt(bytes.length)) return false;
  const start = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, start)));
  } catch {
    return false;
  }
  if (!plain(header)) return false;
  const dataLength = BigInt(bytes.length - start);
  const spans: { begin: bigint; end: bigint; dtype: unknown }[] = [];
  for (const key of Object.keys(header)) {
    const v = header[key];
    if (key === '__metadata__') {
      if (!plain(v) || Object.keys(v).some((k) => typeof v[k] !== 'string')) return false;
      continue;
    }
    if (!plain(v)) return false;
    const size = SIZES.get(v.dtype);
    const { shape, data_offsets: o } = v;
    if (size === undefined || !Array.isArray(shape) || !Array.isArray(o) || o.length !== 2) return false;
    const exact = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    if (!shape.every(exact) || !o.every(exact)) return false;
    const numel = shape.reduce((p: bigint, d: number) => p * BigInt(d), 1n);
    const [begin, end] = o.map((x: number) => BigInt(x));
    if (end < begin || end > dataLength || end - begin !== numel * size) return false;
    spans.push({ begin, end, dtype: v.dtype });
  }
  spans.sort((a, b) => (a.begin !== b.begin ? Number(a.begin - b.begin) : Number(a.end - b.end)));
  let at = 0n;
  for (const s of spans) {
    if (s.begin !== at) return false;
    at = s.end;
  }
  if (at !== dataLength) return false;
  const view = new DataView(buf, start);
  for (const s of spans) {
    const step = Number(SIZES.get(s.dtype));
    for (let i = Number(s.begin); i < Number(s.end); i += step) if (!finiteAt(view, i, s.dtype)) return false;
  }
  return true;
}

/** Valid files to mutate: every dtype, unaligned offsets, an empty tensor, a scalar, metadata. */
function seeds(): ArrayBuffer[] {
  const f32 = Float32Array.from([1, -2, 3.5, 4, 5, 6]);
  const bf16 = Uint8Array.from([0x80, 0x3f, 0x40, 0xc0, 0x00, 0x00]); // 1, -3, 0
  return [
    encodeSafetensors({
      a: { dtype: 'F32', shape: [2, 3], data: f32 },
      h: { dtype: 'F16', shape: [3], data: encodeF16(Float32Array.from([0.5, -1, 2])) },
    }),
    safetensorsBytes(
      {
        __metadata__: { format: 'pt' },
        p: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
        x: { dtype: 'BF16', shape: [3], data_offsets: [2, 8] },
        e: { dtype: 'F32', shape: [0, 4], data_offsets: [8, 8] },
        s: { dtype: 'F32', shape: [], data_offsets: [8, 12] },
      },
      Uint8Array.from([0x00, 0x3c, ...bf16, 0x00, 0x00, 0x80, 0x3f]),
    ),
  ];
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number) => Math.floor(r() * n);

const JUNK_NUMBERS = [-1, -0, 0.5, 1e300, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 64, -(2 ** 31), 1e-7];
const JUNK_VALUES: unknown[] = [null, true, 'x', '', [], {}, [[1]], ...JUNK_NUMBERS];
const DTYPES: unknown[] = ['F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'f32', 'toString', '__proto__', 4, null];

/** Header JSON and data of a file, or null when its header does not parse. */
function split(buf: ArrayBuffer): { header: Record<string, unknown>; data: Uint8Array } | null {
  const n = Number(new DataView(buf).getBigUint64(0, true));
  try {
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n)));
    return plain(header) ? { header, data: new Uint8Array(buf, 8 + n) } : null;
  } catch {
    return null;
  }
}

/** One structured change to a tensor entry or the metadata. */
function mutateEntry(r: Rand, header: Record<string, unknown>, data: Uint8Array): unknown {
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = pick(r, names);
  // A first change may have left junk behind: read defensively.
  const offsetsOf = (v: unknown) =>
    plain(v) && Array.isArray(v.data_offsets) ? (v.data_offsets as number[]) : [0, 0];
  const e = plain(header[name]) ? { ...header[name] } : {};
  const [b, en] = offsetsOf(e);
  const other = offsetsOf(header[pick(r, names)]);
  switch (int(r, 12)) {
    case 0:
      e.dtype = pick(r, DTYPES);
      break;
    case 1:
      e.shape = pick(r, [[-1], [1.5], '4', [2 ** 53], [1e308], [], [0], [int(r, 8), int(r, 8)], [[2]], null]);
      break;
    case 2:
      e.data_offsets = pick(r, [
        [en, b],
        [b],
        [b, en, en],
        [-b - 1, en],
        [b, 2 ** 64],
        ['0', '4'],
        [b + 0.5, en],
      ]);
      break;
    case 3: {
      const d = pick(r, [-4, -2, -1, 1, 2, 4, 8]);
      e.data_offsets = pick(r, [
        [b + d, en + d],
        [b, en + d],
        [b + d, en],
      ]);
      break;
    }
    case 4:
      e.data_offsets = [...other]; // overlap another tensor (or itself)
      break;
    case 5:
      e.data_offsets = [b, data.length + int(r, 3)];
      break;
    case 6:
      return { ...header, [name]: pick(r, JUNK_VALUES) };
    case 7: {
      const rest = { ...header };
      delete rest[name]; // leaves a hole or trailing bytes
      return rest;
    }
    case 8:
      return { ...header, [`${name}.copy`]: header[name] };
    case 9:
      return { ...header, __metadata__: pick(r, [{ a: 1 }, ['x'], 'pt', null, { a: 'b' }, {}]) };
    case 10:
      e[pick(r, ['dtype', 'shape', 'data_offsets'])] = undefined; // dropped by JSON.stringify
      break;
    default:
      e.shape = [...((e.shape as number[]) ?? []), pick(r, [0, 1, 2])];
  }
  return { ...header, [name]: e };
}

/** Rewrites `buf` with a header; the length field is usually right, sometimes off. */
function rebuild(r: Rand, header: unknown, data: Uint8Array): ArrayBuffer {
  const text = JSON.stringify(header) ?? 'undefined';
  const len = BigInt(new TextEncoder().encode(text).length);
  return safetensorsBytes(text, data, r() < 0.9 ? len : len + BigInt(pick(r, [-2, -1, 1, 3])));
}

/** A mutated copy of a seed file. */
function mutate(r: Rand, seed: ArrayBuffer): ArrayBuffer {
  const bytes = new Uint8Array(seed.slice(0));
  const n = Number(new DataView(seed).getBigUint64(0, true));
  const parts = split(seed)!;
  switch (int(r, 10)) {
    case 8: {
      // Changes that keep the file valid: keys reordered, dims reversed, the header padded.
      const entries = Object.entries(parts.header).reverse();
      const flipped = entries.map(([k, v]) =>
        k === '__metadata__'
          ? [k, v]
          : [k, { ...(v as object), shape: [...(v as { shape: number[] }).shape].reverse() }],
      );
      return safetensorsBytes(
        JSON.stringify(Object.fromEntries(flipped)) + ' '.repeat(int(r, 9)),
        parts.data,
      );
    }
    case 0: {
      for (let k = 1 + int(r, 8); k > 0; k--) bytes[int(r, bytes.length)] ^= 1 << int(r, 8);
      return bytes.buffer;
    }
    case 1: {
      for (let k = 1 + int(r, 4); k > 0; k--) bytes[8 + int(r, n)] ^= 1 << int(r, 8); // header only
      return bytes.buffer;
    }
    case 2:
      return bytes.slice(0, int(r, bytes.length + 1)).buffer;
    case 3: {
      const out = new Uint8Array(bytes.length + 1 + int(r, 16));
      out.set(bytes);
      return out.buffer;
    }
    case 4: {
      const lengths = [
        0n,
        1n,
        BigInt(n - 1),
        BigInt(n + 1),
        2n ** 32n,
        2n ** 53n + 1n,
        2n ** 64n - 1n,
        100_000_001n,
      ];
      new DataView(bytes.buffer).setBigUint64(0, pick(r, lengths), true);
      return bytes.buffer;
    }
    case 5: {
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + n)).trimEnd();
      const i = int(r, text.length + 1);
      const cut = int(r, 4);
      const junk = pick(r, [
        '',
        '"',
        ',',
        '{',
        '}',
        '[',
        ']',
        ':',
        '1e999',
        '-',
        'null',
        '\\u0000',
        '9'.repeat(30),
      ]);
      return safetensorsBytes(text.slice(0, i) + junk + text.slice(i + cut), parts.data);
    }
    case 6: {
      const junk = pick(r, [
        '[]',
        'null',
        '1',
        '"x"',
        '[{}]',
        '['.repeat(2000) + ']'.repeat(2000),
        '{"a":{"a":{}}}',
      ]);
      return safetensorsBytes(junk, parts.data);
    }
    case 7: {
      // Inf or NaN bits at a random element of a random tensor; the file is otherwise valid.
      const entries = Object.entries(parts.header).filter(([k]) => k !== '__metadata__');
      const [, e] = pick(r, entries) as [string, { dtype: string; data_offsets: number[] }];
      const [b, en] = e.data_offsets;
      const size = Number(SIZES.get(e.dtype));
      if (en === b) return bytes.buffer;
      const at = 8 + n + b + size * int(r, (en - b) / size);
      const bits =
        e.dtype === 'F32'
          ? [0x7f800000, 0x7fc00000, 0xff800000]
          : e.dtype === 'F16'
            ? [0x7c00, 0xfe00]
            : [0x7f80, 0xffc0];
      const view = new DataView(bytes.buffer);
      if (size === 4) view.setUint32(at, pick(r, bits), true);
      else view.setUint16(at, pick(r, bits), true);
      return bytes.buffer;
    }
    default: {
      let header: unknown = parts.header;
      for (let k = 1 + int(r, 2); k > 0 && plain(header); k--) header = mutateEntry(r, header, parts.data);
      return rebuild(r, header, parts.data);
    }
  }
}

describe('safetensors fuzz', () => {
  it(`${CASES} mutated files: no crash, no hang, no invalid file accepted, no valid one refused`, () => {
    const r = rng(20_251_203);
    const bases = seeds();
    for (const s of bases) expect(specValid(s)).toBe(true);
    const crashes: string[] = [];
    const disagreements: string[] = [];
    let accepted = 0;
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const buf = mutate(r, bases[i % bases.length]);
      const started = performance.now();
      let ok = false;
      try {
        const f = parseSafetensors(buf, `case ${i}`);
        for (const name of f.entries.keys()) f.getF32(name);
        ok = true;
      } catch (e) {
        const named = e instanceof EngineError && e.code === 'LOAD' && e.message.includes(`case ${i}:`);
        if (!named) crashes.push(`case ${i}: ${String(e)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      if (ok) accepted++;
      if (ok !== specValid(buf)) disagreements.push(`case ${i}: parser ${ok ? 'accepted' : 'refused'}`);
    }
    console.log(
      `safetensors fuzz: ${CASES} cases, ${accepted} accepted, ${crashes.length} crashes, ` +
        `${disagreements.length} disagreements, slowest case ${slowest.toFixed(1)} ms`,
    );
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both verdicts must be common, or the comparison with specValid proves little.
    expect(accepted).toBeGreaterThan(CASES * 0.1);
    expect(accepted).toBeLessThan(CASES * 0.9);
  }, 30_000);
});
