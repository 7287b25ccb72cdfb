// Streaming load (#18 §3): SafetensorsStream hands out the same tensors as parseSafetensors whatever
// the chunking, keeps only wanted tensors read ahead, and refuses what parseSafetensors refuses plus a
// stream cut short or longer than announced; loadModel uploads each tensor before the next one's bytes
// are read (never the whole file first), gives the logits of the whole-file path, and passes a download
// to the Cache API only once it checked out (a file with a NaN is never stored). A sharded checkpoint
// (the hub fixture llama-linear-sharded) streams the same way, shard after shard, each cached once it
// checked out, and is refused when its index and its shards' headers disagree.
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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileProgress } from './hub';

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
    const reference = new Transformer(b, cfg, await uploadParams(b, cfg, whole, 'q8'));
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
    const whole = parseSafetensors(f16.slice().buffer, 'f16');
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

describe('a sharded checkpoint streams like one file', () => {
  afterEach(() => vi.unstubAllGlobals());
  const dir = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'hub', 'llama-linear-sharded');
  const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const INDEX = 'model.safetensors.index.json';
  const fixture = (file: string) => new Uint8Array(readFileSync(join(dir, file)));
  const ids = Int32Array.of(3, 1, 4, 1, 5);

  /** The fixture's files (or `files` in their place) streamed in `size`-byte chunks; `read[file]`
   *  counts the bytes each file has handed out so far. */
  function serveShards(
    files: Record<string, Uint8Array> = {},
    size = 700,
    read: Record<string, number> = {},
  ) {
    const fetchFn: typeof fetch = async (url) => {
      const file = String(url).split('/').pop()!;
      let bytes: Uint8Array;
      try {
        bytes = files[file] ?? fixture(file);
      } catch {
        return new Response('', { status: 404 });
      }
      const counter = { bytes: 0 };
      const body = chunks(bytes, size, counter).pipeThrough(
        new TransformStream({
          transform(chunk, ctrl) {
            read[file] = (read[file] ?? 0) + chunk.byteLength;
            ctrl.enqueue(chunk);
          },
        }),
      );
      return new Response(body, { headers: { 'content-length': String(bytes.length) } });
    };
    return fetchFn;
  }
  const local = { kind: 'local', base: '/hub', repo: 'llama-linear-sharded' } as const;

  /** The whole-file read: every shard parsed in memory, tensors looked up across them. */
  function wholeRead() {
    const files = SHARDS.map((f) => parseSafetensors(fixture(f).buffer, f));
    const of = (name: string) => files.find((f) => f.has(name))!;
    return {
      description: 'whole',
      shape: (name: string) => files.find((f) => f.has(name))?.shape(name),
      get: (name: string) => of(name).get(name),
      getF32: (name: string) => of(name).getF32(name),
    };
  }

  it.each(['f32', 'q8'] as const)(
    'at %s: the parameters of the whole-file read, each shard read only once the one before was uploaded',
    async (precision) => {
      const cfg = parseConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), 'sharded');
      const b = new CpuBackend();
      const reference = await uploadParams(b, cfg, wholeRead(), precision);
      const read: Record<string, number> = {};
      const readAtUpload: number[] = [];
      class Watching extends CpuBackend {
        override upload(shape: readonly number[], host: HostData) {
          readAtUpload.push(read[SHARDS[1]] ?? 0);
          return super.upload(shape, host);
        }
      }
      const progress: FileProgress[] = [];
      const streamed = await loadModel(new Watching(), local, {
        fetch: serveShards({}, 700, read),
        precision,
        onProgress: (p) => progress.push(p),
      });
      expect(streamed.params).toEqual(reference);
      // The first shard's tensors are uploaded while the second has given little more than its header
      // (peeked at, then read again in its turn); the whole-file read had it all before any upload.
      const second = fixture(SHARDS[1]).length;
      expect(readAtUpload[0]).toBeLessThan(second / 4);
      expect(read[SHARDS[1]]).toBeLessThan(second + second / 4);
      // Progress per file, in turn: the second starts once the first is complete.
      const files = progress.filter((p) => p.file.endsWith('.safetensors'));
      const firstDone = files.findIndex((p) => p.file === SHARDS[0] && p.loaded === p.total);
      const secondStart = files.findIndex((p) => p.file === SHARDS[1]);
      expect(firstDone).toBeGreaterThanOrEqual(0);
      expect(secondStart).toBeGreaterThan(firstDone);
      expect(files.at(-1)).toMatchObject({ file: SHARDS[1], loaded: second, total: second });
      const again = new Transformer(b, cfg, reference);
      expect(await streamed.forward(ids)).toEqual(await again.forward(ids));
      for (const m of [streamed, again]) m.free();
    },
  );

  it('a shard cut short is reported and not cached; the complete one is, and is read from the cache after', async () => {
    const stored = new Map<string, ArrayBuffer>();
    const cache = {
      match: async (url: string) => {
        const buf = stored.get(url);
        return buf && new Response(buf.slice(0), { headers: { 'content-length': String(buf.byteLength) } });
      },
      put: async (url: string, res: Response) => void stored.set(url, await res.arrayBuffer()),
      delete: async (url: string) => stored.delete(url),
    };
    vi.stubGlobal('caches', { open: async () => cache });
    const hub = { kind: 'hub', repo: 'o/sharded' } as const;
    const url = (file: string) => `https://huggingface.co/o/sharded/resolve/main/${file}`;
    const second = fixture(SHARDS[1]);
    const cut = second.slice(0, -100);
    const files = { [SHARDS[1]]: cut };
    const fetchCut: typeof fetch = async (u) => {
      const res = await serveShards(files)(u);
      if (!String(u).endsWith(SHARDS[1])) return res;
      // announces the whole file, sends all but its last 100 bytes
      return new Response(res.body, { headers: { 'content-length': String(second.length) } });
    };
    await expect(loadModel(new CpuBackend(), hub, { fetch: fetchCut })).rejects.toThrow(
      `hub: the download of ${url(SHARDS[1])} was cut short after ${second.length - 100} of ${second.length} bytes`,
    );
    expect(stored.has(url(SHARDS[1]))).toBe(false);
    expect(new Uint8Array(stored.get(url(SHARDS[0]))!)).toEqual(fixture(SHARDS[0]));

    const progress: FileProgress[] = [];
    const model = await loadModel(new CpuBackend(), hub, {
      fetch: serveShards(),
      onProgress: (p) => progress.push(p),
    });
    const from = (file: string) => new Set(progress.filter((p) => p.file === file).map((p) => p.from));
    expect(from(SHARDS[0])).toEqual(new Set(['cache']));
    expect(from(SHARDS[1])).toEqual(new Set(['network']));
    expect(new Uint8Array(stored.get(url(SHARDS[1]))!)).toEqual(second);
    model.free();
  });

  it('refuses a shard the index names that the repo lacks, naming it', async () => {
    const index = JSON.parse(new TextDecoder().decode(fixture(INDEX)));
    index.weight_map['model.norm.weight'] = 'model-00003-of-00003.safetensors';
    const files = { [INDEX]: new TextEncoder().encode(JSON.stringify(index)) };
    await expect(loadModel(new CpuBackend(), local, { fetch: serveShards(files) })).rejects.toThrow(
      'hub: /hub/llama-linear-sharded/model-00003-of-00003.safetensors not found (404), though the checkpoint names it',
    );
  });

  /** The fixture's second shard re-encoded (F32: BF16 widens exactly) with `extra` tensors of the first. */
  function secondWith(extra: string[]): Uint8Array {
    const [a, b] = SHARDS.map((f) => parseSafetensors(fixture(f).buffer, f));
    const tensors = [
      ...[...b.entries.keys()].map((n) => [n, b] as const),
      ...extra.map((n) => [n, a] as const),
    ];
    return new Uint8Array(
      encodeSafetensors(
        Object.fromEntries(tensors.map(([n, f]) => [n, { dtype: 'F32', ...f.getF32(n) }] as const)),
      ),
    );
  }

  it.each([
    [
      'a tensor the weight_map puts in another shard',
      'model.norm.weight',
      'move',
      /"model.norm.weight" is in model-0000\d-of-00002.safetensors but the weight_map puts it in/,
    ],
    [
      'a tensor in no shard',
      'model.extra.weight',
      'add',
      /"model.extra.weight" is missing from model-00001-of-00002.safetensors, where the weight_map puts it/,
    ],
    [
      'a tensor the weight_map does not list',
      'model.norm.weight',
      'drop',
      /"model.norm.weight" is in model-0000\d-of-00002.safetensors but not in the weight_map/,
    ],
    [
      'a tensor in two shards',
      'lm_head.weight',
      'duplicate',
      /"lm_head.weight" is in both model-00001-of-00002.safetensors and model-00002-of-00002.safetensors/,
    ],
  ])('refuses %s before any upload', async (_, tensor, change, message) => {
    const index = JSON.parse(new TextDecoder().decode(fixture(INDEX)));
    const map: Record<string, string> = index.weight_map;
    const files: Record<string, Uint8Array> = {};
    if (change === 'move') map[tensor] = SHARDS.find((f) => f !== map[tensor])!;
    if (change === 'add') map[tensor] = SHARDS[0];
    if (change === 'drop') delete map[tensor];
    if (change === 'duplicate') files[SHARDS[1]] = secondWith([tensor]);
    files[INDEX] = new TextEncoder().encode(JSON.stringify(index));
    let uploads = 0;
    class Counting extends CpuBackend {
      override upload(shape: readonly number[], host: HostData) {
        uploads++;
        return super.upload(shape, host);
      }
    }
    const load = loadModel(new Counting(), local, { fetch: serveShards(files) });
    await expect(load).rejects.toThrow(/the weight_map and the shards' headers disagree/);
    await expect(load).rejects.toThrow(message);
    expect(uploads).toBe(0);
  });
});
