// Reads a safetensors file from a byte stream without ever holding the whole file: the header is read
// and checked first (parseSafetensorsHeader: entries, shapes, tiling against the announced size), then
// each tensor is read when asked for. A tensor asked for later in the file than the next one makes
// the reader skip ahead: the tensors passed by are kept as raw bytes when `wanted` (until asked for)
// and dropped otherwise. Each chunk also goes to `onChunk` (e.g. the hub cache's writer).
// Not a fetcher (checkpoint-stream.ts opens the body) and not a random-access file (safetensors.ts).

import { EngineError } from '../engine/errors';
import { cancelled, cutShort } from './hub';
import type { HostTensor, TensorRows } from '../engine/model/tensor-reader';
import { decodeF16 } from '../engine/quantize';
import { decodeTensor, parseSafetensorsHeader, type SafetensorsEntry, tensorRows } from './safetensors';

export interface SafetensorsStreamOptions {
  signal?: AbortSignal;
  /** Tensors to keep when they pass by before being asked for; default all. */
  wanted?: ReadonlySet<string>;
  /** Every chunk as it is read, before it is used; awaited (backpressure). */
  onChunk?: (chunk: Uint8Array) => Promise<void> | void;
  /** Bytes read so far, after each chunk. */
  onBytes?: (loaded: number) => void;
}

/** Bytes off a stream reader in exact amounts, whatever its chunking. */
class ChunkReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private offset = 0; // bytes of `chunk` already used
  private loaded = 0; // bytes pulled from the stream

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly file: string,
    private readonly fileBytes: number,
    private readonly opts: SafetensorsStreamOptions,
  ) {}

  /** Bytes of the file handed out or skipped so far. */
  get position(): number {
    return this.loaded - (this.chunk.byteLength - this.offset);
  }

  /** The next `n` bytes, copied out of the chunks. */
  async read(n: number): Promise<Uint8Array<ArrayBuffer>> {
    const out = new Uint8Array(n);
    await this.consume(n, (part, at) => out.set(part, at));
    return out;
  }

  skip(n: number): Promise<void> {
    return this.consume(n, () => {});
  }

  /** True when the stream ends here (the position is the end of what it sends). */
  async atEnd(): Promise<boolean> {
    return this.offset === this.chunk.byteLength && (await this.reader.read()).done;
  }

  cancel(): Promise<void> {
    return this.reader.cancel().catch(() => {});
  }

  private async consume(n: number, copy: (part: Uint8Array, at: number) => void): Promise<void> {
    for (let at = 0; at < n;) {
      if (this.offset === this.chunk.byteLength) await this.pull();
      const take = Math.min(n - at, this.chunk.byteLength - this.offset);
      copy(this.chunk.subarray(this.offset, this.offset + take), at);
      at += take;
      this.offset += take;
    }
  }

  private async pull(): Promise<void> {
    const { signal } = this.opts;
    if (signal?.aborted) {
      await this.cancel();
      throw cancelled(this.file);
    }
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await this.reader.read();
    } catch (e) {
      if (signal?.aborted) throw cancelled(this.file);
      throw cutShort(this.file, this.loaded, this.fileBytes, (e as Error).message);
    }
    if (next.done) throw cutShort(this.file, this.loaded, this.fileBytes, 'the connection closed early');
    await this.opts.onChunk?.(next.value);
    [this.chunk, this.offset] = [next.value, 0];
    this.loaded += next.value.byteLength;
    this.opts.onBytes?.(this.loaded);
  }
}

export class SafetensorsStream {
  private readonly byOffset: [string, SafetensorsEntry][]; // the file's order
  private next = 0; // index in `byOffset` of the next tensor the stream holds
  private readonly kept = new Map<string, Uint8Array<ArrayBuffer>>();

  private constructor(
    readonly description: string,
    readonly entries: Map<string, SafetensorsEntry>,
    private readonly bytes: ChunkReader,
    private readonly fileBytes: number,
    private readonly wanted: ReadonlySet<string> | undefined,
  ) {
    this.byOffset = [...entries].sort(([, a], [, b]) => a.begin - b.begin);
  }

  /** Reads and checks the header of a file of `fileBytes` bytes; `source` names it in messages. */
  static async open(
    body: ReadableStream<Uint8Array>,
    fileBytes: number,
    source: string,
    opts: SafetensorsStreamOptions = {},
  ): Promise<SafetensorsStream> {
    const bytes = new ChunkReader(body.getReader(), source, fileBytes, opts);
    try {
      const head = await bytes.read(Math.min(8, fileBytes));
      const declared = fileBytes < 8 ? 0 : Number(new DataView(head.buffer).getBigUint64(0, true));
      // A length past the file is parseSafetensorsHeader's to refuse, before anything more is read.
      const rest = 8 + declared <= fileBytes ? await bytes.read(declared) : new Uint8Array(0);
      const prefix = new Uint8Array(head.byteLength + rest.byteLength);
      prefix.set(head);
      prefix.set(rest, head.byteLength);
      const { entries } = parseSafetensorsHeader(prefix.buffer, fileBytes, source);
      return new SafetensorsStream(source, entries, bytes, fileBytes, opts.wanted);
    } catch (e) {
      await bytes.cancel();
      throw e;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  shape(name: string): number[] | undefined {
    return this.entries.get(name)?.shape;
  }

  /** `names` in file order: read so, no tensor waits in memory for its turn. */
  order(names: readonly string[]): string[] {
    const at = (name: string) => this.entries.get(name)?.begin ?? Infinity;
    return [...names].sort((a, b) => at(a) - at(b));
  }

  /** The tensor, once its bytes have arrived; each tensor can be read once. NaN/Inf refused. */
  async get(name: string): Promise<HostTensor> {
    const { entry, data } = await this.bytesOf(name);
    return decodeTensor(this.description, name, entry, data.buffer); // read() gave it its own buffer
  }

  /** A weight (OC, C) as get() reads it, its rows decoded to f32 only when asked for (tensorRows). */
  async getRows(name: string): Promise<TensorRows> {
    const { entry, data } = await this.bytesOf(name);
    return tensorRows(this.description, name, entry, data.buffer);
  }

  async getF32(name: string): Promise<{ shape: number[]; data: Float32Array }> {
    const t = await this.get(name);
    return { shape: t.shape, data: t.dtype === 'f16' ? decodeF16(t.data) : t.data };
  }

  private async bytesOf(name: string): Promise<{ entry: SafetensorsEntry; data: Uint8Array<ArrayBuffer> }> {
    const e = this.entries.get(name);
    if (!e) throw new EngineError('LOAD', `safetensors: ${this.description}: no tensor "${name}"`);
    let data = this.kept.get(name);
    this.kept.delete(name);
    while (!data) {
      const [passing, entry] = this.byOffset[this.next] ?? [];
      if (!entry || e.begin < entry.begin)
        throw new EngineError('LOAD', `safetensors: ${this.description}: tensor "${name}" was already read`);
      this.next++;
      const n = entry.end - entry.begin;
      if (passing === name) data = await this.bytes.read(n);
      else if (!this.wanted || this.wanted.has(passing)) this.kept.set(passing, await this.bytes.read(n));
      else await this.bytes.skip(n);
    }
    return { entry: e, data };
  }

  /** Reads the rest of the file (tensors never asked for are dropped) and checks that it ends there. */
  async finish(): Promise<void> {
    this.kept.clear();
    await this.bytes.skip(this.fileBytes - this.bytes.position);
    if (await this.bytes.atEnd()) return;
    await this.bytes.cancel();
    throw new EngineError(
      'LOAD',
      `safetensors: ${this.description}: the stream holds more than the ${this.fileBytes} bytes announced`,
      'the server sent another file than it announced; download it again',
    );
  }

  /** Stops reading (the load failed elsewhere). */
  async cancel(): Promise<void> {
    this.kept.clear();
    await this.bytes.cancel();
  }
}
