// Command recording for the webgpu backend: ops append dispatches to one open command encoder and
// compute pass; `flush` submits the batch (uniforms go up in one write), `settle` waits for the queue
// and rethrows compile, validation, OOM and device-loss errors. Counts dispatches for benchmarks, and
// times them per kernel while a Profiler is on (startProfile / stopProfile).
// Not the op code: launchers in kernels/*.ts build bindings and grids and call `dispatch`.
import { EngineError } from '../errors';
import { ensureAlive, type GpuContext } from './device';
import { type KernelSource, type Overrides, PipelineCache } from './pipelines';
import { BufferPool, type PoolOptions } from './pool';
import { type KernelTime, Profiler } from './profiler';

/** A uniform field: a plain number is written as u32, `{ f32: x }` as f32. */
export type Param = number | { f32: number };

export interface DispatchCounters {
  /** Compute dispatches recorded (one per kernel launch; an op may launch several). */
  dispatches: number;
  /** Buffer copies and clears recorded (kvWrite, alloc zero-fill, download staging). */
  copies: number;
  /** queue.submit calls. */
  submits: number;
}

const SLOT_BYTES = 256; // >= minUniformBufferOffsetAlignment on every adapter
const SLOTS = 256; // dispatches per batch before an automatic flush

export class Runtime {
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly counters: DispatchCounters = { dispatches: 0, copies: 0, submits: 0 };
  /** 16-byte storage buffer bound where an optional input is absent (WGSL never reads it). */
  readonly dummy: GPUBuffer;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly arena: GPUBuffer;
  private readonly arenaHost = new ArrayBuffer(SLOT_BYTES * SLOTS);
  private readonly arenaU32 = new Uint32Array(this.arenaHost);
  private readonly arenaF32 = new Float32Array(this.arenaHost);
  private slot = 0;
  private readonly batchErrors: Promise<EngineError | null>[] = [];
  private profiler: Profiler | null = null;

  constructor(
    readonly ctx: GpuContext,
    poolOptions: PoolOptions = {},
  ) {
    this.device = ctx.device;
    this.pool = new BufferPool(this.device, poolOptions);
    this.pipelines = new PipelineCache(this.device);
    this.arena = this.device.createBuffer({
      label: 'uniform-arena',
      size: SLOT_BYTES * SLOTS,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.dummy = this.device.createBuffer({ label: 'dummy', size: 16, usage: GPUBufferUsage.STORAGE });
  }

  /** Records one dispatch of `kernel`: storage `buffers` at bindings 0.., params as the last binding. */
  dispatch(
    kernel: KernelSource,
    overrides: Overrides,
    buffers: GPUBuffer[],
    params: Param[],
    grid: readonly [number, number?, number?],
  ): void {
    ensureAlive(this.ctx);
    if (grid.some((g) => g !== undefined && g > 65535)) {
      throw new EngineError(
        'SHAPE',
        `${kernel.name}: grid (${grid.join(', ')}) exceeds 65535 workgroups per dimension`,
      );
    }
    if (this.slot === SLOTS || this.profiler?.full) this.flush();
    const pipeline = this.pipelines.get(kernel, overrides);
    const base = (this.slot * SLOT_BYTES) / 4;
    params.forEach((p, i) => {
      if (typeof p === 'number') this.arenaU32[base + i] = p;
      else this.arenaF32[base + i] = p.f32;
    });
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    entries.push({
      binding: buffers.length,
      resource: { buffer: this.arena, offset: this.slot * SLOT_BYTES, size: SLOT_BYTES },
    });
    this.slot++;
    const bindGroup = this.device.createBindGroup({
      label: kernel.name,
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    const pass = this.computePass(this.profiler?.next(kernel.name));
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(grid[0], grid[1] ?? 1, grid[2] ?? 1);
    if (this.profiler) this.endPass(); // one timed pass per dispatch
    this.counters.dispatches++;
  }

  /** Records a buffer-to-buffer copy, ordered after every op recorded so far. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    ensureAlive(this.ctx);
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.counters.copies++;
  }

  /** Records a zero-fill of the whole buffer. */
  clear(buffer: GPUBuffer): void {
    ensureAlive(this.ctx);
    this.endPass();
    this.commandEncoder().clearBuffer(buffer);
    this.counters.copies++;
  }

  /** Submits everything recorded so far; buffers released before it become reusable. */
  flush(): void {
    if (!this.encoder) {
      this.pool.afterSubmit(); // nothing unsubmitted can still use a released buffer
      return;
    }
    this.endPass();
    const readTimes = this.profiler?.resolve(this.encoder);
    const commands = this.encoder.finish();
    this.encoder = null;
    if (this.slot > 0)
      this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.slot * SLOT_BYTES);
    this.slot = 0;
    this.device.queue.submit([commands]);
    readTimes?.();
    this.counters.submits++;
    this.batchErrors.push(
      this.device.popErrorScope().then((error) => {
        if (!error) return null;
        return new EngineError('SHAPE', `webgpu: the device rejected a batch of commands: ${error.message}`);
      }),
    );
    this.pool.afterSubmit();
  }

  /** Flushes, waits until the GPU has finished, and throws the first error any earlier work produced. */
  async settle(): Promise<void> {
    ensureAlive(this.ctx);
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.pipelines.check();
    const errors = await Promise.all(this.batchErrors.splice(0));
    ensureAlive(this.ctx);
    const first = errors.find((e) => e !== null) ?? this.pool.asyncErrors.shift();
    if (first) throw first;
  }

  /** From now on, times every dispatch per kernel with timestamp queries (diagnostics: each dispatch
   *  then runs in its own pass). Throws UNIMPLEMENTED without 'timestamp-query'. */
  startProfile(): void {
    this.flush();
    this.profiler = new Profiler(this.device);
  }

  /** Settles, stops timing and returns GPU time per kernel name since startProfile. */
  async stopProfile(): Promise<Map<string, KernelTime>> {
    const profiler = this.profiler;
    if (!profiler) throw new EngineError('SHAPE', 'webgpu: stopProfile without startProfile');
    try {
      await this.settle();
      return await profiler.collect();
    } finally {
      this.profiler = null;
      profiler.destroy();
    }
  }

  private commandEncoder(): GPUCommandEncoder {
    if (!this.encoder) {
      // Validation errors of the whole batch (bind groups, dispatches) are caught until flush().
      this.device.pushErrorScope('validation');
      this.encoder = this.device.createCommandEncoder({ label: 'editscope-batch' });
    }
    return this.encoder;
  }

  private computePass(timestampWrites?: GPUComputePassTimestampWrites): GPUComputePassEncoder {
    if (timestampWrites) this.endPass();
    this.pass ??= this.commandEncoder().beginComputePass(timestampWrites ? { timestampWrites } : {});
    return this.pass;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}

/** Workgroup grid for `total` invocations of `wg` threads, folded into y past 65535 groups. */
export function grid1d(total: number, wg: number): [number, number] {
  const groups = Math.max(1, Math.ceil(total / wg));
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}
