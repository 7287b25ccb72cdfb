// Buffer pool: free lists keyed by (size rounded up to 16 bytes, usage). A released buffer rejoins
// its list only after the submit that used it has gone out (`afterSubmit`), so a queued write can
// never race a pending read. On failure: empty the pool, retry once, then throw OOM with the numbers.
// Not an allocator of sub-ranges: one tensor is one GPUBuffer.
import { EngineError } from '../errors';

export interface PoolStats {
  /** Bytes held by buffers handed out and not yet released. */
  bytesInUse: number;
  /** Bytes held by free buffers waiting for reuse. */
  bytesPooled: number;
  /** Acquisitions served from a free list / by creating a buffer. */
  hits: number;
  misses: number;
}

export interface PoolOptions {
  /** Upper bound on bytes in use + pooled; defaults to no bound beyond the device's own. */
  budgetBytes?: number;
}

export function roundUp16(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 16) * 16);
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private readonly usageOf = new Map<GPUBuffer, GPUBufferUsageFlags>();
  private readonly budget: number;
  /** Out-of-memory errors the device reported asynchronously; the backend rethrows them at sync. */
  readonly asyncErrors: EngineError[] = [];
  readonly stats: PoolStats = { bytesInUse: 0, bytesPooled: 0, hits: 0, misses: 0 };

  constructor(
    private readonly device: GPUDevice,
    options: PoolOptions = {},
  ) {
    this.budget = options.budgetBytes ?? Infinity;
  }

  /** A buffer of at least `bytes` bytes; `fresh` is true when newly created (hence zero-filled). */
  acquire(bytes: number, usage: GPUBufferUsageFlags, label: string): { buffer: GPUBuffer; fresh: boolean } {
    const size = roundUp16(bytes);
    const list = this.free.get(key(size, usage));
    const reused = list?.pop();
    if (reused) {
      this.stats.hits++;
      this.stats.bytesPooled -= size;
      this.stats.bytesInUse += size;
      return { buffer: reused, fresh: false };
    }
    this.stats.misses++;
    const buffer = this.create(size, usage, label) ?? (this.trim(), this.create(size, usage, label));
    if (!buffer) {
      throw new EngineError(
        'OOM',
        `webgpu pool: cannot allocate ${size} bytes for ${label}: ${this.stats.bytesInUse} bytes in use, ` +
          `budget ${this.budget} bytes, largest buffer ${this.device.limits.maxBufferSize} bytes`,
        'free tensors you no longer need, or load a smaller or quantized model',
      );
    }
    this.stats.bytesInUse += size;
    return { buffer, fresh: true };
  }

  /** Hands a buffer back; it becomes reusable after the next submit. */
  release(buffer: GPUBuffer): void {
    this.stats.bytesInUse -= buffer.size;
    this.stats.bytesPooled += buffer.size;
    this.pending.push(buffer);
  }

  /** Call right after queue.submit: buffers released before it are now safe to reuse. */
  afterSubmit(): void {
    for (const buffer of this.pending) {
      const k = key(buffer.size, this.usageOf.get(buffer) ?? 0);
      const list = this.free.get(k);
      if (list) list.push(buffer);
      else this.free.set(k, [buffer]);
    }
    this.pending = [];
  }

  /** Destroys every free buffer (submitted work that used them still completes). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const buffer of list) {
        this.stats.bytesPooled -= buffer.size;
        this.usageOf.delete(buffer);
        buffer.destroy();
      }
    }
    this.free.clear();
  }

  private create(size: number, usage: GPUBufferUsageFlags, label: string): GPUBuffer | null {
    const total = this.stats.bytesInUse + this.stats.bytesPooled + size;
    if (size > this.device.limits.maxBufferSize || total > this.budget) return null;
    this.device.pushErrorScope('out-of-memory');
    let buffer: GPUBuffer;
    try {
      buffer = this.device.createBuffer({ size, usage, label });
    } catch {
      void this.device.popErrorScope();
      return null;
    }
    void this.device.popErrorScope().then((error) => {
      if (!error) return;
      this.trim();
      this.asyncErrors.push(
        new EngineError(
          'OOM',
          `webgpu pool: the device could not allocate ${size} bytes for ${label}: ${error.message}`,
        ),
      );
    });
    this.usageOf.set(buffer, usage);
    return buffer;
  }
}

function key(size: number, usage: GPUBufferUsageFlags): string {
  return `${size}:${usage}`;
}
