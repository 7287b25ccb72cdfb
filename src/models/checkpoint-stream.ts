// Opens a checkpoint for a load that streams (#18 §3): config.json first, then model.safetensors read
// as it arrives (SafetensorsStream) from the hub cache or the network, so the loader can convert and
// upload each tensor and let its bytes go: peak memory is near the largest tensor, not the file. A
// network download is passed on to the Cache API chunk by chunk as it is read, and stored only when
// the whole file has been read and checked (the cache write is aborted otherwise). A sharded checkpoint
// is read whole, shard by shard, as before (checkpoint.ts). Not the upload (src/models/load.ts).

import { EngineError } from '../engine/errors';
import { fetchShards, loadConfig } from './checkpoint';
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
import type { TensorReader } from '../engine/model/tensor-reader';
import { SafetensorsStream } from './safetensors-stream';
import { checkWeights, TensorSource } from './weights';
import { parameterTable } from '../engine/model/weights';

export interface OpenCheckpoint {
  source: ModelSource;
  config: ModelConfig;
  /** Every tensor the config requires, shapes checked. */
  tensors: TensorReader;
  /** After the upload: reads the rest of a streamed file, checks that it ends where announced, and
   *  lets the cache store it. */
  finish(): Promise<void>;
  /** After a failed upload (`error`: why): stops the stream; nothing is cached. */
  cancel(error?: unknown): Promise<void>;
}

const FILE = 'model.safetensors';

/** config.json, then the weights opened for reading as they arrive (a sharded checkpoint: read whole),
 *  their shapes checked against the config before any tensor is read. */
export async function openCheckpoint(source: ModelSource, opts: FetchOptions = {}): Promise<OpenCheckpoint> {
  const config = await loadConfig(source, opts);
  const opened = (await openWeights(source, config, opts)) ?? {
    tensors: new TensorSource(describeSource(source), await fetchShards(source, opts)),
    finish: async () => {},
    cancel: async () => {},
  };
  try {
    checkWeights(config, opened.tensors);
  } catch (e) {
    await opened.cancel(e);
    throw e;
  }
  return { source, config, ...opened };
}

type Opened = Pick<OpenCheckpoint, 'tensors' | 'finish' | 'cancel'>;

/** model.safetensors as a stream, from the cache or the network; null when the repo has none. */
async function openWeights(
  source: ModelSource,
  config: ModelConfig,
  opts: FetchOptions,
): Promise<Opened | null> {
  const url = fileUrl(source, FILE);
  const wanted = new Set(parameterTable(config).keys());
  const open = (
    from: FileProgress['from'],
    body: ReadableStream<Uint8Array>,
    bytes: number,
    onChunk?: (c: Uint8Array) => void,
  ) => {
    opts.onProgress?.({ file: FILE, loaded: 0, total: bytes, from });
    const onBytes = (loaded: number) => opts.onProgress?.({ file: FILE, loaded, total: bytes, from });
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
      return { tensors: s, finish, cancel };
    }
  }

  const res = await download(source, url, FILE, opts);
  if (!res) return null;
  // content-length counts the encoded bytes of a compressed body: only a plain body announces its size.
  const encoding = res.headers.get('content-encoding');
  let bytes = !encoding || encoding === 'identity' ? Number(res.headers.get('content-length') ?? 0) : 0;
  let body = res.body ?? new Blob([]).stream();
  if (!bytes) {
    const whole = await res.arrayBuffer(); // size unknown until the end: read it whole first
    [body, bytes] = [new Blob([whole]).stream(), whole.byteLength];
  }
  if (!cache) {
    const stream = await open('network', body, bytes);
    return { tensors: stream, finish: () => stream.finish(), cancel: () => stream.cancel() };
  }

  // Each chunk goes on to the cache as it is read, written without waiting (the Cache API drains to
  // disk faster than tensors are converted); the write is closed only once the whole file checked out.
  const pass = new TransformStream<Uint8Array, Uint8Array>();
  const writer = pass.writable.getWriter();
  let aborted = false; // a failed load is not reported as a file not cached
  const abort = (e: unknown) => ((aborted = true), writer.abort(e).catch(() => {}));
  const stored = store(cache, url, pass.readable, bytes, FILE, {
    onNotCached: (file, reason) => aborted || opts.onNotCached?.(file, reason),
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
  return { tensors: stream, finish, cancel };
}
