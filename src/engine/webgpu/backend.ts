// The webgpu Backend: memory on pooled GPUBuffers, ops recorded into one command encoder by the
// launchers in kernels/ and submitted in batches (write/download/sync flush). Registers itself as
// 'webgpu'. Errors from the device (compile, validation, OOM, loss) surface at sync() and download().
// Not a scheduler: ops run in call order; callers await download/sync to read results.
import {
  type Backend,
  type BackendLimits,
  type HostData,
  type OpArgs,
  QUANT_BLOCK,
  registerBackend,
  type Tensor,
} from '../backend';
import { checkDownload, checkView, checkWrite } from '../contract';
import { EngineError } from '../errors';
import { numel } from '../shapes';
import { ensureAlive, type GpuContext, requestGpuContext, watchDevice } from './device';
import * as add from './kernels/add';
import * as attention from './kernels/attention';
import * as crossentropy from './kernels/crossentropy';
import * as embedding from './kernels/embedding';
import * as geglu from './kernels/geglu';
import * as matmul from './kernels/matmul';
import * as maskedmatmul from './kernels/maskedmatmul';
import * as rmsnorm from './kernels/rmsnorm';
import * as rope from './kernels/rope';
import * as scale from './kernels/scale';
import * as swiglu from './kernels/swiglu';
import type { PoolOptions } from './pool';
import { type DispatchCounters, Runtime } from './runtime';
import { asGpu, dataBytes, GpuTensor } from './tensor';

/** Tensor buffers: bindable as storage, copy source (download, kvWrite) and target (writes). A function,
 *  not a constant, so that importing this module needs no GPU globals (Node installs them later). */
function tensorUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

export interface WebGpuBackendOptions extends PoolOptions {
  /** Use this device (tests, or one shared with onnxruntime-web) instead of requesting one. */
  device?: GPUDevice;
  /** GPU entry point when not navigator.gpu (Node + Dawn). */
  gpu?: GPU;
}

export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const ctx = options.device ? watchDevice(options.device) : await requestGpuContext(options.gpu);
  return new WebGpuBackend(ctx, options);
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly rt: Runtime;

  constructor(ctx: GpuContext, options: PoolOptions = {}) {
    this.rt = new Runtime(ctx, options);
  }

  /** The device's buffer limits (raised to the adapter's maxima in device.ts): what a model's tensors
   *  are checked against before the first upload. */
  get limits(): BackendLimits {
    const { maxBufferSize, maxStorageBufferBindingSize } = this.rt.device.limits;
    return { maxBufferSize, maxStorageBufferBindingSize };
  }

  /** Live counts of dispatches, copies and submits since creation or the last resetCounters(). */
  get counters(): Readonly<DispatchCounters> {
    return this.rt.counters;
  }

  resetCounters(): void {
    Object.assign(this.rt.counters, { dispatches: 0, copies: 0, submits: 0 });
  }

  // ---- memory ----

  alloc(shape: readonly number[], dtype: 'f32' | 'i32' = 'f32'): Tensor {
    ensureAlive(this.rt.ctx);
    const { buffer, fresh } = this.rt.pool.acquire(
      numel(shape) * 4,
      tensorUsage(),
      `${dtype}(${shape.join(',')})`,
    );
    if (!fresh) this.rt.clear(buffer);
    return new GpuTensor(dtype, [...shape], { buffer, scales: null, freed: false });
  }

  upload(shape: readonly number[], host: HostData): Tensor {
    ensureAlive(this.rt.ctx);
    const n = numel(shape);
    const label = `${host.dtype}(${shape.join(',')})`;
    const bytes = hostBytes(host);
    if (bytes.byteLength !== dataBytes(host.dtype, n)) {
      throw new EngineError(
        'SHAPE',
        `upload: ${label} needs ${dataBytes(host.dtype, n)} data bytes, got ${bytes.byteLength}`,
      );
    }
    const buffer = this.put(bytes, label);
    let scales: GPUBuffer | null = null;
    if (host.dtype === 'q8' || host.dtype === 'q4') {
      const blocks = n / QUANT_BLOCK;
      if (shape.length !== 2 || shape[1] % QUANT_BLOCK !== 0 || host.scales.length !== blocks) {
        throw new EngineError(
          'SHAPE',
          `upload: ${label} must be (OC, C) with C % ${QUANT_BLOCK} == 0 and ${blocks} scales, got ${host.scales.length}`,
        );
      }
      scales = this.put(
        new Uint8Array(host.scales.buffer, host.scales.byteOffset, host.scales.byteLength),
        label,
      );
    }
    return new GpuTensor(host.dtype, [...shape], { buffer, scales, freed: false });
  }

  write(dst: Tensor, data: Float32Array | Int32Array, offset = 0): void {
    ensureAlive(this.rt.ctx);
    const t = asGpu('write', 'dst', dst);
    checkWrite(t, data, offset);
    this.rt.flush(); // queue writes land before unsubmitted commands: submit those first
    this.rt.device.queue.writeBuffer(t.buffer, offset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  async download(src: Tensor): Promise<Float32Array> {
    const t = asGpu('download', 't', src);
    checkDownload(t);
    const bytes = t.numel * 4;
    const usage = GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST;
    const { buffer: staging } = this.rt.pool.acquire(bytes, usage, 'download staging');
    try {
      this.rt.copy(t.buffer, 0, staging, 0, bytes);
      this.rt.flush();
      // Map while settle waits for the queue and the error scopes: one round trip instead of two.
      const mapped = staging.mapAsync(GPUMapMode.READ, 0, bytes);
      mapped.catch(() => {}); // if settle throws first, its error is the one reported
      await this.rt.settle();
      await mapped;
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      return out;
    } catch (error) {
      throw this.rt.ctx.lost ?? error; // a map aborted by device loss reads as DEVICE_LOST
    } finally {
      this.rt.pool.release(staging);
    }
  }

  view(t: Tensor, shape: readonly number[]): Tensor {
    const src = asGpu('view', 't', t);
    checkView(src, shape);
    return new GpuTensor(src.dtype, [...shape], src.store, true);
  }

  free(t: Tensor): void {
    const g = asGpu('free', 't', t);
    if (g.isView)
      throw new EngineError('SHAPE', `free: t (${g.shape.join(', ')}) is a view; free the original`);
    g.store.freed = true;
    this.rt.pool.release(g.buffer);
    if (g.scales) this.rt.pool.release(g.scales);
  }

  sync(): Promise<void> {
    return this.rt.settle();
  }

  /** A pooled buffer holding `bytes` (padded to a multiple of 4 for writeBuffer). */
  private put(bytes: Uint8Array, label: string): GPUBuffer {
    const { buffer } = this.rt.pool.acquire(bytes.byteLength, tensorUsage(), label);
    const padded = bytes.byteLength % 4 === 0 ? bytes : padTo4(bytes);
    this.rt.device.queue.writeBuffer(buffer, 0, padded.buffer, padded.byteOffset, padded.byteLength);
    return buffer;
  }

  // ---- ops: see ../backend.ts for the contract (checked by ../contract.ts), kernels/*.ts for the
  // launchers, which take the op's arguments after the runtime.

  embeddingForward(...args: OpArgs<'embeddingForward'>): void {
    embedding.embeddingForward(this.rt, ...args);
  }
  rmsnormForward(...args: OpArgs<'rmsnormForward'>): void {
    rmsnorm.rmsnormForward(this.rt, ...args);
  }
  matmulForward(...args: OpArgs<'matmulForward'>): void {
    matmul.matmulForward(this.rt, ...args);
  }
  ropeForward(...args: OpArgs<'ropeForward'>): void {
    rope.ropeForward(this.rt, ...args);
  }
  attentionForward(...args: OpArgs<'attentionForward'>): void {
    attention.attentionForward(this.rt, ...args);
  }
  kvWrite(...args: OpArgs<'kvWrite'>): void {
    attention.kvWrite(this.rt, ...args);
  }
  swigluForward(...args: OpArgs<'swigluForward'>): void {
    swiglu.swigluForward(this.rt, ...args);
  }
  gegluForward(...args: OpArgs<'gegluForward'>): void {
    geglu.gegluForward(this.rt, ...args);
  }
  addForward(...args: OpArgs<'addForward'>): void {
    add.addForward(this.rt, ...args);
  }
  scaleForward(...args: OpArgs<'scaleForward'>): void {
    scale.scaleForward(this.rt, ...args);
  }
  maskedMatmulAccumulate(...args: OpArgs<'maskedMatmulAccumulate'>): void {
    maskedmatmul.maskedMatmulAccumulate(this.rt, ...args);
  }
  crossentropySoftmaxForward(...args: OpArgs<'crossentropySoftmaxForward'>): void {
    crossentropy.crossentropySoftmaxForward(this.rt, ...args);
  }
  crossentropySoftmaxBackward(...args: OpArgs<'crossentropySoftmaxBackward'>): void {
    crossentropy.crossentropySoftmaxBackward(this.rt, ...args);
  }
  matmulBackward(...args: OpArgs<'matmulBackward'>): void {
    matmul.matmulBackward(this.rt, ...args);
  }
  rmsnormBackward(...args: OpArgs<'rmsnormBackward'>): void {
    rmsnorm.rmsnormBackward(this.rt, ...args);
  }
  ropeBackward(...args: OpArgs<'ropeBackward'>): void {
    rope.ropeBackward(this.rt, ...args);
  }
  attentionBackward(...args: OpArgs<'attentionBackward'>): void {
    attention.attentionBackward(this.rt, ...args);
  }
  swigluBackward(...args: OpArgs<'swigluBackward'>): void {
    swiglu.swigluBackward(this.rt, ...args);
  }
  gegluBackward(...args: OpArgs<'gegluBackward'>): void {
    geglu.gegluBackward(this.rt, ...args);
  }
  maskedMatmulBackward(...args: OpArgs<'maskedMatmulBackward'>): void {
    maskedmatmul.maskedMatmulBackward(this.rt, ...args);
  }
}

function hostBytes(host: HostData): Uint8Array {
  const view = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  switch (host.dtype) {
    case 'q8':
      return view(host.values);
    case 'q4':
      return view(host.packed);
    default:
      return view(host.data);
  }
}

function padTo4(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  padded.set(bytes);
  return padded;
}

/** Narrows a Backend to the webgpu one, e.g. to read its dispatch counters in a benchmark. */
export function isWebGpuBackend(b: Backend): b is WebGpuBackend {
  return b instanceof WebGpuBackend;
}

registerBackend('webgpu', () => createWebGpuBackend());
