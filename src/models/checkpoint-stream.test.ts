// Streaming load (#18 §3): SafetensorsStream hands out the same tensors as parseSafetensors whatever
// the chunking, keeps only wanted tensors read ahead, and refuses what parseSafetensors refuses plus a
// stream cut short or longer than announced; loadModel uploads each tensor before the next one's bytes
// are read (never the whole file first), gives the logits of the whole-file path, and passes a download
// to the Cache API only once it checked out (a file with a NaN is never stored).
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../engine/cpu/backend';
import { createBackend, type Backend, type HostData } from '../engine/backend';
import { CpuBackend } from '../engine/cpu/backend';
import { loadModel } from './load';
import { Transformer } from '../engine/model/transformer';
import { uploadParams } from '../engine/model/params';
import { tinyConfigJson, tinySafetensors } from '../../tests/helpers/tiny-model';
import { parseConfig } from './config';
import { encodeSafetensors, parseSafetensors } from './safetensors';
import { SafetensorsStream } from './safetensors-stream';
import { encodeF16 } from '../engine/quantize';
import { TensorSource } from './weights';

const json = tinyConfigJson({ L: 3, C: 32, tied: false });
/** Tensors sorted by name as transformers writes them: lm_head first, the final norm last (not the
 *  order the loader assembles a model in). */
const file = (() => {
  const t = parseSafetensors(tinySafetensors(json), 'tiny');
  const sorted = [...t.entries].sort(([a], [b]) => (a < b ? -1 : 1));
  const byName = sorted.map(
    ([n, e]) => [n, { dtype: 'F32', shape: e.shape, data: t.getF32(n).data }] as const,
  );
  return new Uint8Array(encodeSafetensors(Object.fromEntries(byName)));
})();

/** `bytes` as a stream of `size`-byte chunks; `read` counts the bytes handed out so far. */
function chunks(bytes: Uint8Array, size: number, read = { bytes: 0 }): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (read.bytes >= bytes.length) return ctrl.close();
      ctrl.enqueue(bytes.slice(read.bytes, read.bytes + size));
      read.bytes = Math.min(bytes.length, read.bytes + size);
    },
  });
}

/** A local source serving config.json and model.safetensors (streamed in `size`-byte chunks). */
function serve(weights: Uint8Array, size = 1000, read = { bytes: 0 }): typeof fetch {
  return async (url) => {
    const name = String(url).split('/').pop();
    if (name === 'config.json') return new Response(JSON.stringify(json));
    if (name !== 'model.safetensors') return new Response('', { status: 404 });
    const headers = { 'content-length': String(weights.length) };
    return new Response(chunks(weights, size, read), { headers });
  };
}

const local = { kind: 'local', base: '/m', repo: 'tiny' } as const;

describe('SafetensorsStream', () => {
  const whole = parseSafetensors(file.slice().buffer, 'mem');
  const names = [...whole.entries.keys()];

  it.each([1, 7, 4096])('chunks of %i bytes: every tensor equals the whole-file reader', async (size) => {
    const stream = await SafetensorsStream.open(chunks(file, size), file.length, 'mem');
    for (const name of stream.order(names)) expect(await stream.get(name)).toEqual(whole.get(name));
    await stream.finish();
  });

  it('reading ahead keeps wanted tensors and drops the rest', async () => {
    const order = [...whole.entries].sort(([, a], [, b]) => a.begin - b.begin).map(([n]) => n);
    const [first, second, , fourth] = order;
    const wanted = new Set([second]);
    const stream = await SafetensorsStream.open(chunks(file, 64), file.length, 'mem', { wanted });
    expect(await stream.get(fourth)).toEqual(whole.get(fourth)); // reads past 1-3
    expect(await stream.get(second)).toEqual(whole.get(second)); // kept
    await expect(stream.get(first)).rejects.toThrow(`tensor "${first}" was already read`);
    await stream.finish();
  });

  it("refuses a damaged header with parseSafetensors' message", async () => {
    const bad = file.slice();
    new DataView(bad.buffer).setBigUint64(0, BigInt(bad.length), true); // header length past the file
    const whole = () => parseSafetensors(bad.slice().buffer, 'mem');
    expect(whole).toThrow(/header length \d+ exceeds the file size/);
    const message = (() => {
      try {
        whole();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    await expect(SafetensorsStream.open(chunks(bad, 100), bad.length, 'mem')).rejects.toThrow(message);
  });

  it('a stream cut short, or longer than announced, is a LOAD error', async () => {
    const short = await SafetensorsStream.open(chunks(file.slice(0, -10), 100), file.length, 'mem');
    await expect(short.finish()).rejects.toThrow(
      `the download of mem was cut short after ${file.length - 10} of ${file.length} bytes`,
    );
    const long = new Uint8Array(file.length + 3);
    long.set(file);
    const extra = await SafetensorsStream.open(chunks(long, 100), file.length, 'mem');
    await expect(extra.finish()).rejects.toThrow('more than the');
  });

  it('stops with CANCELLED when the signal fires', async () => {
    const ctrl = new AbortController();
    const stream = await SafetensorsStream.open(chunks(file, 100), file.length, 'mem', {
      signal: ctrl.signal,
    });
    ctrl.abort();
    await expect(stream.finish()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('loadModel streams', () => {
  afterEach(() => vi.unstubAllGlobals());
  const ids = Int32Array.of(3, 1, 4, 1, 5);

  it('uploads each tensor before reading past it, with the logits of the whole-file path', async () => {
    const read = { bytes: 0 };
    const whole = parseSafetensors(file.slice().buffer, 'mem');
    const dataStart = file.length - [...whole.entries.values()].reduce((m, e) => Math.max(m, e.end), 0);
    const seen: number[] = [];
    class Watching extends CpuBackend {
      override upload(shape: readonly number[], host: HostData) {
        seen.push(read.bytes);
        return super.upload(shape, host);
      }
    }
    const model = await loadModel(new Watching(), local, { fetch: serve(file, 512, read) });
    // Byte offsets of each tensor's end in file order: each upload happens before the stream ran past
    // the tensor it uploads by more than the chunk in hand and the one queued (the whole-file path
    // reads everything first).
    const fileEnds = [...whole.entries.values()].map((e) => dataStart + e.end).sort((a, b) => a - b);
    fileEnds.forEach((end, i) => expect(seen[i], `upload ${i}`).toBeLessThanOrEqual(end + 2 * 512));
    expect(seen.length).toBe(fileEnds.length + 1); // + the RoPE table
    const cfg = parseConfig(json, 'tiny');
    const b: Backend = await createBackend('cpu');
    const reference = new Transformer(
      b,
      cfg,
      await uploadParams(b, cfg, new TensorSource('t', [whole]), 'q8'),
    );
    const streamed = await loadModel(b, local, { fetch: serve(file), precision: 'q8' });
    expect(await streamed.forward(ids)).toEqual(await reference.forward(ids));
    for (const m of [model, reference, streamed]) m.free();
  });

  it('an F16 file quantized a range of rows at a time gives the whole-file q4 logits', async () => {
    const t = parseSafetensors(file.slice().buffer, 'f32');
    const halves = Object.fromEntries(
      [...t.entries].map(
        ([n, e]) => [n, { dtype: 'F16', shape: e.shape, data: encodeF16(t.getF32(n).data) }] as const,
      ),
    );
    const f16 = new Uint8Array(encodeSafetensors(halves));
    const cfg = parseConfig(json, 'tiny');
    const b = new CpuBackend();
    const whole = new TensorSource('t', [parseSafetensors(f16.slice().buffer, 'f16')]);
    const reference = new Transformer(b, cfg, await uploadParams(b, cfg, whole, 'q4'));
    const streamed = await loadModel(b, local, { fetch: serve(f16, 333), precision: 'q4' });
    expect(await streamed.forward(ids)).toEqual(await reference.forward(ids));
    for (const m of [reference, streamed]) m.free();
  });

  it('caches a download once it checked out, never one that fails, and reads the cached copy after', async () => {
    const stored = new Map<string, ArrayBuffer>();
    const cache = {
      match: async (url: string) => {
        const buf = stored.get(url);
        return buf && new Response(buf.slice(0), { headers: { 'content-length': String(buf.byteLength) } });
      },
      put: async (url: string, res: Response) => void stored.set(url, await res.arrayBuffer()), // reads, as browsers do
      delete: async (url: string) => stored.delete(url),
    };
    vi.stubGlobal('caches', { open: async () => cache });
    const hub = { kind: 'hub', repo: 'o/tiny' } as const;
    const url = 'https://huggingface.co/o/tiny/resolve/main/model.safetensors';

    const nan = file.slice();
    new DataView(nan.buffer).setUint32(nan.length - 4, 0x7fc00000, true); // last value of the last tensor
    await expect(loadModel(new CpuBackend(), hub, { fetch: serve(nan) })).rejects.toThrow(/holds NaN/);
    expect(stored.has(url)).toBe(false);

    (await loadModel(new CpuBackend(), hub, { fetch: serve(file) })).free();
    expect(new Uint8Array(stored.get(url)!)).toEqual(file);
    const offline: typeof fetch = async (u) =>
      String(u).endsWith('config.json') ? serve(file)(u) : Promise.reject(new Error('offline'));
    const again = await loadModel(new CpuBackend(), hub, { fetch: offline });
    expect(again.config.numLayers).toBe(3);
    again.free();
  });
});
