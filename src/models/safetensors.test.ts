// safetensors: parse files built in the test (F32, F16, BF16, unaligned offsets), reject malformed
// ones with a LOAD error (one test per rule), refuse NaN/Inf when a tensor is read, check shard
// indexes, and name what a checkpoint lacks. Sharded checkpoints load in checkpoint-stream.test.ts.
// The seeded fuzz run over mutated files is safetensors.fuzz.test.ts.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/helpers/expect-close';
import { tinyConfigJson, tinySafetensors } from '../../tests/helpers/tiny-model';
import { openCheckpoint } from './checkpoint-stream';
import { encodeF16 } from '../engine/quantize';
import { safetensorsBytes, withHeaderBytes } from '../../tests/helpers/safetensors-bytes';
import { encodeSafetensors, MAX_HEADER_BYTES, parseSafetensors, parseSafetensorsIndex } from './safetensors';

/** A file whose one BF16 tensor starts at an odd offset, written by hand. */
function bf16File(): ArrayBuffer {
  const header = JSON.stringify({
    pad: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
    x: { dtype: 'BF16', shape: [2], data_offsets: [2, 6] },
  });
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + 6);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  new DataView(out.buffer).setUint16(8 + h.length + 2, 0x3f80, true); // 1.0
  new DataView(out.buffer).setUint16(8 + h.length + 4, 0xc040, true); // -3.0
  return out.buffer;
}

describe('safetensors', () => {
  it('round-trips F32 and F16 tensors with their shapes', () => {
    const a = Float32Array.from([1, -2, 3.5, 4, 5, 6]);
    const buf = encodeSafetensors({
      a: { dtype: 'F32', shape: [2, 3], data: a },
      h: { dtype: 'F16', shape: [3], data: encodeF16(Float32Array.from([0.5, -1, 2])) },
    });
    const f = parseSafetensors(buf, 'mem');
    expect(f.get('a')).toEqual({ shape: [2, 3], dtype: 'f32', data: a });
    expect(f.get('h').dtype).toBe('f16');
    expectClose(f.getF32('h').data, [0.5, -1, 2], { label: 'f16' });
  });

  it('widens BF16 to f32 from an unaligned offset', () => {
    const f = parseSafetensors(bf16File(), 'bf16');
    expectClose(f.getF32('x').data, [1, -3], { label: 'bf16' });
  });

  it('rejects truncated files, bad headers and unsupported dtypes', () => {
    const good = encodeSafetensors({ a: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect(() => parseSafetensors(good.slice(0, good.byteLength - 4), 'cut')).toThrow(
      /safetensors: cut: tensor "a" spans bytes \[0, 16\), past the data section's 12 bytes/,
    );
    expect(() => parseSafetensors(new ArrayBuffer(4), 'tiny')).toThrow(/too short/);
    const i64 = new TextEncoder().encode(
      JSON.stringify({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }),
    );
    const bad = new Uint8Array(8 + i64.length + 8);
    new DataView(bad.buffer).setBigUint64(0, BigInt(i64.length), true);
    bad.set(i64, 8);
    expect(() => parseSafetensors(bad.buffer, 'i64')).toThrow(/dtype "I64"; only F32, F16, BF16/);
  });

  it('names the missing tensors of an incomplete checkpoint', async () => {
    const config = tinyConfigJson({ tied: false });
    const fetchFn: typeof fetch = async (url) => {
      const file = String(url).split('/').pop();
      if (file === 'config.json') return new Response(JSON.stringify(config));
      if (file === 'model.safetensors') return new Response(tinySafetensors(tinyConfigJson({ tied: true })));
      return new Response('', { status: 404 });
    };
    await expect(
      openCheckpoint({ kind: 'local', base: '/m', repo: 'x' }, { fetch: fetchFn }),
    ).rejects.toThrow(
      /weights: \/m\/x: missing "lm_head.weight" \(24, 16\)\nHINT: config says tie_word_embeddings=false/,
    );
  });
});

/** parseSafetensors's LOAD message for `buf`, or "accepted". */
function refusal(buf: ArrayBuffer): string {
  try {
    parseSafetensors(buf, 'f');
    return 'accepted';
  } catch (e) {
    expect(e).toMatchObject({ code: 'LOAD' });
    return (e as Error).message;
  }
}

const t4 = (begin: number) => ({ dtype: 'F32', shape: [4], data_offsets: [begin, begin + 16] });

describe('safetensors: each malformed part is refused with the file and tensor named', () => {
  it('header length over the cap or past the end of the file', () => {
    const big = safetensorsBytes({}, 0, BigInt(MAX_HEADER_BYTES) + 1n);
    expect(refusal(big)).toMatch(/^safetensors: f: header length 100000001 is over the limit of 100000000/);
    expect(refusal(safetensorsBytes({}, 0, 2n ** 64n - 1n))).toMatch(/over the limit/);
    expect(refusal(safetensorsBytes({}, 0, 3n))).toMatch(/header length 3 exceeds the file size 10/);
  });

  it('a header that is not a UTF-8 JSON object', () => {
    for (const h of ['[1, 2]', 'null', '"x"', '7'])
      expect(refusal(safetensorsBytes(h, 0))).toMatch(/header must be a JSON object/);
    expect(refusal(safetensorsBytes('{"a":', 0))).toMatch(/header is not UTF-8 JSON/);
    const latin1 = Uint8Array.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x7b, 0x7d, 0x7d]); // {"é":{}} in Latin-1
    expect(refusal(withHeaderBytes(latin1, 0))).toMatch(/header is not UTF-8 JSON/);
  });

  it('entries of the wrong type and unknown dtypes', () => {
    expect(refusal(safetensorsBytes({ a: 3 }, 0))).toMatch(
      /tensor "a" must be \{dtype, shape, data_offsets\}/,
    );
    expect(refusal(safetensorsBytes({ a: { ...t4(0), dtype: 'I64' } }, 16))).toMatch(
      /tensor "a" has dtype "I64"; only F32, F16, BF16/,
    );
    expect(refusal(safetensorsBytes({ a: { ...t4(0), dtype: 4 } }, 16))).toMatch(/tensor "a" has dtype 4/);
    expect(refusal(safetensorsBytes({ a: { ...t4(0), dtype: 'toString' } }, 16))).toMatch(/dtype "toString"/);
  });

  it('shapes that are not lists of non-negative safe integers, or whose size overflows', () => {
    for (const shape of [[-1], [1.5], '4', [2 ** 53], [null], null])
      expect(refusal(safetensorsBytes({ a: { ...t4(0), shape } }, 16))).toMatch(
        /tensor "a" has shape .*; expected a list of non-negative integers/,
      );
    const huge = { dtype: 'F32', shape: [2 ** 26, 2 ** 26, 2 ** 26], data_offsets: [0, 16] };
    expect(refusal(safetensorsBytes({ a: huge }, 16))).toMatch(
      /tensor "a" has shape \(.*\): its byte size overflows/,
    );
  });

  it('data_offsets that are not two integers, negative, reversed, past the data or the wrong size', () => {
    const offsets = (data_offsets: unknown, bytes = 16) =>
      refusal(safetensorsBytes({ a: { ...t4(0), data_offsets } }, bytes));
    for (const o of [[0], [0, 16, 16], ['0', '16'], [0, 1e300], [0.5, 16.5], [-4, 12], null])
      expect(offsets(o)).toMatch(
        /tensor "a" has data_offsets .*; expected \[begin, end\], non-negative integers/,
      );
    expect(offsets([16, 0])).toMatch(/tensor "a" has data_offsets \[16, 0\]: end before begin/);
    expect(offsets([4, 20])).toMatch(/tensor "a" spans bytes \[4, 20\), past the data section's 16 bytes/);
    expect(offsets([0, 12])).toMatch(/tensor "a" \(4\) F32 needs 16 bytes, data_offsets \[0, 12\) hold 12/);
  });

  it('overlapping tensors, holes and trailing bytes (the data section must be tiled exactly)', () => {
    expect(refusal(safetensorsBytes({ a: t4(0), b: t4(8) }, 24))).toMatch(
      /tensor "b" \[8, 24\) overlaps "a" \(ends at 16\)/,
    );
    expect(refusal(safetensorsBytes({ a: t4(0), b: t4(0) }, 16))).toMatch(/overlaps/);
    expect(refusal(safetensorsBytes({ a: t4(0), b: t4(20) }, 36))).toMatch(
      /bytes \[16, 20\) before tensor "b" belong to no tensor/,
    );
    expect(refusal(safetensorsBytes({ b: t4(4) }, 20))).toMatch(/bytes \[0, 4\) before tensor "b"/);
    expect(refusal(safetensorsBytes({ a: t4(0) }, 20))).toMatch(
      /the data section has 20 bytes but its tensors end at 16/,
    );
    // Empty tensors and scalars are valid, as the reference allows.
    const ok = { e: { dtype: 'F16', shape: [0, 3], data_offsets: [20, 20] } };
    expect(
      refusal(
        safetensorsBytes({ ...ok, s: { dtype: 'F32', shape: [], data_offsets: [0, 4] }, a: t4(4) }, 20),
      ),
    ).toBe('accepted');
  });

  it('__metadata__ that is not a map of strings', () => {
    for (const m of [{ a: 1 }, ['x'], 'pt', { a: null }])
      expect(refusal(safetensorsBytes({ __metadata__: m }, 0))).toMatch(
        /__metadata__ must map strings to strings/,
      );
    expect(refusal(safetensorsBytes({ __metadata__: { format: 'pt' } }, 0))).toBe('accepted');
  });

  it('NaN and Inf are refused where a tensor is read, naming it and the first bad index', () => {
    const f32 = Float32Array.from([1, 2, NaN, Infinity]);
    const f = parseSafetensors(
      encodeSafetensors({
        w: { dtype: 'F32', shape: [2, 2], data: f32 },
        h: { dtype: 'F16', shape: [3], data: Uint16Array.from([0x3c00, 0x7c00, 0]) }, // 1, Inf, 0
        fine: { dtype: 'F32', shape: [1], data: Float32Array.from([3.4e38]) },
      }),
      'nan.safetensors',
    );
    expect(() => f.getF32('w')).toThrow(
      /nan.safetensors: tensor "w" \(2, 2\) F32 holds NaN at flat index 2 of 4/,
    );
    expect(() => f.get('h')).toThrow(/tensor "h" \(3\) F16 holds Inf at flat index 1 of 3/);
    expect(f.getF32('fine').data[0]).toBeCloseTo(3.4e38, -35);
    const bf = new Uint8Array(bf16File());
    bf.set([0xc0, 0x7f], bf.length - 2); // -3.0 → 0x7fc0: exponent all ones, mantissa set: NaN
    expect(() => parseSafetensors(bf.buffer, 'bf').getF32('x')).toThrow(
      /tensor "x" \(2\) BF16 holds NaN at flat index 1/,
    );
  });
});

describe('safetensors index', () => {
  const index = (weight_map: unknown) => () => parseSafetensorsIndex({ weight_map }, 'index.json');

  it('maps tensors to plain shard file names', () => {
    expect(index({ a: 'model-00001-of-00002.safetensors' })()).toEqual(
      new Map([['a', 'model-00001-of-00002.safetensors']]),
    );
  });

  it('refuses paths, URLs, other types and empty maps', () => {
    for (const file of [
      '../model.safetensors',
      'sub/model.safetensors',
      'https://x.io/m.safetensors',
      '.hidden.safetensors',
      'model.bin',
      5,
      null,
    ])
      expect(index({ a: file })).toThrow(
        /index.json: weight_map\["a"\] is .*; shards must be plain file names/,
      );
    expect(index({})).toThrow(/weight_map is empty/);
    expect(index(['a'])).toThrow(/weight_map is \["a"\]/);
    expect(() => parseSafetensorsIndex(null, 'index.json')).toThrow(/weight_map is undefined/);
  });
});
