// Opens a checkpoint for a load that streams (#18 §3): config.json first, then its safetensors files
// read as they arrive (SafetensorsStream) from the hub cache or the network, so the loader can convert
// and upload each tensor and let its bytes go: peak memory is near the largest tensor, not a file. One
// file is a one-shard checkpoint: the shards of `model.safetensors.index.json` are read in turn, each
// its own stream. A network download is passed on to the Cache API chunk by chunk as it is read, and
// each file stored only when it has been read whole and checked (its cache write is aborted otherwise).
// Not the upload (src/models/load.ts).

import { EngineError } from '../engine/errors';
import { checkShardIndex, loadConfig, loadShardIndex, SINGLE_FILE } from './checkpoint';
import type { ModelConfig } from '../engine/model/config';
import {
  describeSource,
  download,
  fileUrl,
  openCache,
  store,
  type FetchOptions,
  type FileProgress,
  type ModelSource,
} from './hub';
import type { HostTensor, TensorReader, TensorRows } from '../engine/model/tensor-reader';
import type { SafetensorsEntry } from './safetensors';
import { SafetensorsStream } from './safetensors-stream';
import { checkWeights } from './weights';
import { parameterTable } from '../engine/model/weights';

export interface OpenCheckpoint {
  source: ModelSource;
  config: ModelConfig;
  /** Every tensor the config requires, shapes checked. */
  tensors: TensorReader;
  /** After the upload: reads the rest of each file, checks that it ends where announced, and lets the
   *  cache store it. */
  finish(): Promise<void>;
  /** After a failed upload (`error`: why): stops the stream; nothing more is cached. */
  cancel(error?: unknown): Promise<void>;
}

/** config.json, then the weights opened for reading as they arrive, every shard's header read and
 *  their shapes checked against the config before any tensor is read. */
export async function openCheckpoint(source: ModelSource, opts: FetchOptions = {}): Promise<OpenCheckpoint> {
  const config = await loadConfig(source, opts);
  const wanted = new Set(parameterTable(config).keys());
  const find = (file: string, peek = false) => openFile(source, file, wanted, opts, peek);
  // A file the checkpoint names (a shard its index lists) must be there.
  const open: OpenShard = async (file, peek) =>
    (await find(file, peek)) ??
    Promise.reject(
      new EngineError(
        'LOAD',
        `hub: ${fileUrl(source, file)} not found (404), though the checkpoint names it`,
      ),
    );
  const single = await find(SINGLE_FILE);
  const reader = single
    ? new CheckpointReader(
        describeSource(source),
        [{ file: SINGLE_FILE, entries: single.stream.entries }],
        open,
        single,
      )
    : await openShards(source, open, opts);
  try {
    checkWeights(config, reader);
  } catch (e) {
    await reader.cancel(e);
    throw e;
  }
  return { source, config, tensors: reader, finish: () => reader.finish(), cancel: (e) => reader.cancel(e) };
}

/** One safetensors file being read, and what ends it. */
interface OpenFile {
  stream: SafetensorsStream;
  /** Reads the rest and checks it; a download is then cached. */
  finish(): Promise<void>;
  cancel(error?: unknown): Promise<void>;
}

/** `file` of the checkpoint as a stream, from the cache or the network. A peek reads the header only
 *  (then cancel()): no progress is reported and nothing cached. */
type OpenShard = (file: string, peek?: boolean) => Promise<OpenFile>;

/** The index's shards: the first opened for reading, the others' headers peeked at, so the whole
 *  checkpoint is checked before anything is uploaded, while only one download is open at a time (a
 *  stalled one could time out, and HTTP/1.1 allows a browser 6 connections per host). */
async function openShards(
  source: ModelSource,
  open: OpenShard,
  opts: FetchOptions,
): Promise<CheckpointReader> {
  const index = await loadShardIndex(source, opts);
  const first = await open(index.files[0]);
  try {
    const headers = [first.stream.entries];
    for (const file of index.files.slice(1)) {
      const peek = await open(file, true);
      headers.push(peek.stream.entries);
      await peek.cancel();
    }
    checkShardIndex(index, headers);
    const shards = index.files.map((file, i) => ({ file, entries: headers[i] }));
    return new CheckpointReader(describeSource(source), shards, open, first);
  } catch (e) {
    await first.cancel(e);
    throw e;
  }
}

interface Shard {
  file: string;
  /** Its header, as read when the checkpoint was opened. */
  entries: Map<string, SafetensorsEntry>;
}

/** Tensors by name across the shards of one checkpoint, read shard after shard: `order` puts each
 *  shard's tensors together in file order, and asking for a tensor of a later shard finishes the
 *  current one (read to its end, checked, cached) before the next is opened. */
class CheckpointReader implements TensorReader {
  private readonly shardOf = new Map<string, number>(); // tensor → index in `shards`
  private at = 0; // index of the shard being read
  private current: OpenFile | null;

  constructor(
    readonly description: string,
    private readonly shards: readonly Shard[],
    private readonly open: OpenShard,
    first: OpenFile,
  ) {
    shards.forEach(({ entries }, i) => {
      for (const name of entries.keys()) this.shardOf.set(name, i);
    });
    this.current = first;
  }

  shape(name: string): number[] | undefined {
    const i = this.shardOf.get(name);
    return i === undefined ? undefined : this.shards[i].entries.get(name)?.shape;
  }

  order(names: readonly string[]): string[] {
    const at = (name: string): [number, number] => {
      const i = this.shardOf.get(name);
      return i === undefined ? [Infinity, 0] : [i, this.shards[i].entries.get(name)!.begin];
    };
    return [...names].sort((a, b) => {
      const [[sa, ba], [sb, bb]] = [at(a), at(b)];
      return sa - sb || ba - bb;
    });
  }

  async get(name: string): Promise<HostTensor> {
    return (await this.streamOf(name)).get(name);
  }

  async getF32(name: string): Promise<{ shape: number[]; data: Float32Array }> {
    return (await this.streamOf(name)).getF32(name);
  }

  async getRows(name: string): Promise<TensorRows> {
    return (await this.streamOf(name)).getRows(name);
  }

  /** Reads every shard to its end (each checked, then cached). */
  async finish(): Promise<void> {
    while (this.at < this.shards.length - 1) await this.next();
    const last = this.current;
    this.current = null;
    await last?.finish();
  }

  async cancel(error?: unknown): Promise<void> {
    const c = this.current;
    this.current = null;
    await c?.cancel(error);
  }

  private async streamOf(name: string): Promise<SafetensorsStream> {
    const i = this.shardOf.get(name);
    if (i === undefined)
      throw new EngineError('LOAD', `weights: ${this.description}: missing tensor "${name}"`);
    if (i < this.at) {
      const { file } = this.shards[i];
      throw new EngineError(
        'LOAD',
        `safetensors: ${this.description}: tensor "${name}" of ${file} was asked for after that shard was read`,
      );
    }
    while (this.at < i) await this.next();
    if (!this.current)
      throw new EngineError('LOAD', `safetensors: ${this.description}: read after the load ended`);
    return this.current.stream;
  }

  /** Finishes the current shard and opens the next, whose header must be the one read at the start. */
  private async next(): Promise<void> {
    const done = this.current;
    this.current = null;
    await done?.finish(); // a failed finish has cancelled its own stream
    const { file, entries } = this.shards[++this.at];
    const opened = await this.open(file);
    if (!sameEntries(opened.stream.entries, entries)) {
      const e = new EngineError(
        'LOAD',
        `safetensors: ${opened.stream.description}: its header changed since the checkpoint was opened`,
        'the repo changed during the load; load it again',
      );
      await opened.cancel(e);
      throw e;
    }
    this.current = opened;
  }
}

function sameEntries(a: Map<string, SafetensorsEntry>, b: Map<string, SafetensorsEntry>): boolean {
  return a.size === b.size && [...a].every(([name, e]) => JSON.stringify(e) === JSON.stringify(b.get(name)));
}

/** `file` as a stream, from the cache or the network; null when the repo has none. `peek`: see OpenShard. */
async function openFile(
  source: ModelSource,
  file: string,
  wanted: ReadonlySet<string>,
  opts: FetchOptions,
  peek = false,
): Promise<OpenFile | null> {
  const url = fileUrl(source, file);
  const report = peek ? undefined : opts.onProgress;
  const open = (
    from: FileProgress['from'],
    body: ReadableStream<Uint8Array>,
    bytes: number,
    onChunk?: (c: Uint8Array) => void,
  ) => {
    report?.({ file, loaded: 0, total: bytes, from });
    const onBytes = report && ((loaded: number) => report({ file, loaded, total: bytes, from }));
    return SafetensorsStream.open(body, bytes, url, { signal: opts.signal, wanted, onChunk, onBytes });
  };

  const cache = await openCache(source);
  const hit = await cache?.match(url);
  if (cache && hit?.body) {
    let stream: SafetensorsStream | null = null;
    try {
      stream = await open('cache', hit.body, Number(hit.headers.get('content-length')));
    } catch (e) {
      if ((e as EngineError).code === 'CANCELLED') throw e;
      await cache.delete(url); // short, stale or damaged: download it again
    }
    if (stream) {
      const s = stream;
      // A copy found broken later (a LOAD error, e.g. NaN in a tensor) is dropped: the next load
      // downloads it again. A cancelled or refused (OOM) load keeps it.
      const cancel = async (e?: unknown) => {
        await s.cancel();
        if ((e as EngineError | undefined)?.code === 'LOAD') await cache.delete(url);
      };
      const finish = async () => {
        try {
          await s.finish();
        } catch (e) {
          await cancel(e);
          throw e;
        }
      };
      return { stream: s, finish, cancel };
    }
  }

  const res = await download(source, url, file, opts);
  if (!res) return null;
  // content-length counts the encoded bytes of a compressed body: only a plain body announces its size.
  const encoding = res.headers.get('content-encoding');
  let bytes = !encoding || encoding === 'identity' ? Number(res.headers.get('content-length') ?? 0) : 0;
  let body = res.body ?? new Blob([]).stream();
  if (!bytes) {
    const whole = await res.arrayBuffer(); // size unknown until the end: read it whole first
    [body, bytes] = [new Blob([whole]).stream(), whole.byteLength];
  }
  if (!cache || peek) {
    const stream = await open('network', body, bytes);
    return { stream, finish: () => stream.finish(), cancel: () => stream.cancel() };
  }

  // Each chunk goes on to the cache as it is read, written without waiting (the Cache API drains to
  // disk faster than tensors are converted); the write is closed only once the whole file checked out.
  const pass = new TransformStream<Uint8Array, Uint8Array>();
  const writer = pass.writable.getWriter();
  let aborted = false; // a failed load is not reported as a file not cached
  const abort = (e: unknown) => ((aborted = true), writer.abort(e).catch(() => {}));
  const stored = store(cache, url, pass.readable, bytes, file, {
    onNotCached: (f, reason) => aborted || opts.onNotCached?.(f, reason),
  });
  let stream: SafetensorsStream;
  try {
    stream = await open('network', body, bytes, (chunk) => void writer.write(chunk).catch(() => {}));
  } catch (e) {
    await abort(e);
    throw e;
  }
  const finish = async () => {
    try {
      await stream.finish();
    } catch (e) {
      await abort(e);
      throw e;
    }
    void writer.close().catch(() => {}); // done once the cache has read it all: `stored` says when
    await stored;
  };
  const cancel = async (e: unknown = new Error('load failed')) => {
    await stream.cancel();
    await abort(e);
  };
  return { stream, finish, cancel };
}
