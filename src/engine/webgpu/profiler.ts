// Optional per-kernel GPU timing for benchmarks: while a Profiler is attached to the Runtime, every
// dispatch runs in its own compute pass whose begin/end timestamps land in a query set; each batch
// resolves its queries at flush and reads them back asynchronously. Needs 'timestamp-query'.
// Diagnostics only: one pass per dispatch changes what is measured a little; never on in normal runs.
import { EngineError } from '../errors';

/** Total GPU time and dispatch count of one kernel (by kernel name, across override variants). */
export interface KernelTime {
  dispatches: number;
  ms: number;
}

export class Profiler {
  /** Dispatches one batch can time; the runtime flushes when it is full. */
  readonly capacity: number;
  private readonly querySet: GPUQuerySet;
  private names: string[] = [];
  private readonly reads: Promise<void>[] = [];
  readonly totals = new Map<string, KernelTime>();

  constructor(
    private readonly device: GPUDevice,
    capacity = 256,
  ) {
    if (!device.features.has('timestamp-query')) {
      throw new EngineError(
        'UNIMPLEMENTED',
        "webgpu: kernel profiling needs the 'timestamp-query' feature, which this adapter lacks",
      );
    }
    this.capacity = capacity;
    this.querySet = device.createQuerySet({ label: 'profiler', type: 'timestamp', count: 2 * capacity });
  }

  get full(): boolean {
    return this.names.length === this.capacity;
  }

  /** Timestamp writes for the pass of the next dispatch, attributed to `kernel`. */
  next(kernel: string): GPUComputePassTimestampWrites {
    const i = this.names.length;
    this.names.push(kernel);
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** Records the resolve of this batch's queries into `encoder`; call just before finishing it.
   *  Returns the read to start once the batch is submitted, or null when nothing was timed. */
  resolve(encoder: GPUCommandEncoder): (() => void) | null {
    const names = this.names;
    if (names.length === 0) return null;
    this.names = [];
    const bytes = names.length * 16;
    const resolved = this.device.createBuffer({
      label: 'profiler resolve',
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const staging = this.device.createBuffer({
      label: 'profiler staging',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    encoder.resolveQuerySet(this.querySet, 0, 2 * names.length, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, bytes);
    return () => {
      this.reads.push(
        staging.mapAsync(GPUMapMode.READ).then(() => {
          const stamps = new BigUint64Array(staging.getMappedRange());
          names.forEach((name, i) => {
            const t = this.totals.get(name) ?? { dispatches: 0, ms: 0 };
            t.dispatches++;
            t.ms += Number(stamps[2 * i + 1] - stamps[2 * i]) / 1e6;
            this.totals.set(name, t);
          });
          staging.unmap();
          staging.destroy();
          resolved.destroy();
        }),
      );
      this.reads[this.reads.length - 1].catch(() => {}); // reported by collect(), if it is called
    };
  }

  /** Waits for every submitted batch's timestamps; call after the runtime has settled. */
  async collect(): Promise<Map<string, KernelTime>> {
    await Promise.all(this.reads.splice(0));
    return this.totals;
  }

  destroy(): void {
    this.querySet.destroy();
  }
}
