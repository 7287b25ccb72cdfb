// safetensors: parse files built in the test (F32, F16, BF16, unaligned offsets), reject malformed
// ones with a LOAD error, and load a sharded checkpoint through its index with the same loader.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/helpers/expect-close';
import { tinyConfigJson, tinySafetensors } from '../../tests/helpers/tiny-model';
import { loadCheckpoint } from './checkpoint';
import { encodeF16 } from './quantize';
import { encodeSafetensors, parseSafetensors } from './safetensors';

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
      /safetensors: cut: tensor "a" \(4\) F32 spans bytes \[0, 16\)/,
    );
    expect(() => parseSafetensors(new ArrayBuffer(4), 'tiny')).toThrow(/too short/);
    const i64 = new TextEncoder().encode(
      JSON.stringify({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }),
    );
    const bad = new Uint8Array(8 + i64.length + 8);
    new DataView(bad.buffer).setBigUint64(0, BigInt(i64.length), true);
    bad.set(i64, 8);
    expect(() => parseSafetensors(bad.buffer, 'i64')).toThrow(/dtype I64; only F32, F16, BF16/);
  });

  it('loads a sharded checkpoint through model.safetensors.index.json', async () => {
    const config = tinyConfigJson();
    const whole = parseSafetensors(tinySafetensors(config), 'whole');
    const names = [...whole.entries.keys()];
    const shard = (part: string[]) =>
      encodeSafetensors(
        Object.fromEntries(part.map((n) => [n, { dtype: 'F32' as const, ...whole.getF32(n) }])),
      );
    const files: Record<string, ArrayBuffer | string> = {
      'config.json': JSON.stringify(config),
      'model-00001-of-00002.safetensors': shard(names.slice(0, 5)),
      'model-00002-of-00002.safetensors': shard(names.slice(5)),
      'model.safetensors.index.json': JSON.stringify({
        weight_map: Object.fromEntries(
          names.map((n, i) => [n, `model-0000${i < 5 ? 1 : 2}-of-00002.safetensors`]),
        ),
      }),
    };
    const fetched: string[] = [];
    const fetchFn: typeof fetch = async (url) => {
      const file = String(url).split('/').pop()!;
      fetched.push(file);
      return file in files ? new Response(files[file]) : new Response('', { status: 404 });
    };
    const ckpt = await loadCheckpoint({ kind: 'local', base: '/m', repo: 'tiny' }, { fetch: fetchFn });
    expect(ckpt.config.numLayers).toBe(2);
    expect(ckpt.tensors.getF32(names[7]).data).toEqual(whole.getF32(names[7]).data);
    expect(fetched).toContain('model-00002-of-00002.safetensors');
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
      loadCheckpoint({ kind: 'local', base: '/m', repo: 'x' }, { fetch: fetchFn }),
    ).rejects.toThrow(
      /weights: \/m\/x: missing "lm_head.weight" \(24, 16\)\nHINT: config says tie_word_embeddings=false/,
    );
  });
});
