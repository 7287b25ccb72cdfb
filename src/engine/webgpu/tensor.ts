// The webgpu backend's Tensor: a pooled GPUBuffer (+ a scales buffer for q8/q4 weights) behind the
// opaque Tensor handle, and the entry checks launchers run on every argument. Weights of every dtype
// are stored as u32 words (f16 pairs, 4 int8 or 8 int4 per word); kernels decode in common.wgsl.
// Shape/dtype checks come from ../shapes. Not a view or stride system: tensors are dense, row-major.
import type { DType, Tensor } from '../backend';
import { EngineError } from '../errors';
import { numel } from '../shapes';

/** GPU memory shared by a tensor and its views; `freed` catches use of a recycled buffer. */
export interface GpuStore {
  readonly buffer: GPUBuffer;
  /** q8/q4 only: (OC, C/32) f32 block scales. */
  readonly scales: GPUBuffer | null;
  freed: boolean;
}

export class GpuTensor implements Tensor {
  readonly backend = 'webgpu' as const;

  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly store: GpuStore,
    /** Views share the original's store and are never freed themselves. */
    readonly isView = false,
  ) {}

  get buffer(): GPUBuffer {
    return this.store.buffer;
  }

  get scales(): GPUBuffer | null {
    return this.store.scales;
  }

  get numel(): number {
    return numel(this.shape);
  }
}

/** Dtype code matching DT_* in common.wgsl (weights); f32/i32 activations use DT_F32's layout. */
export function dtypeCode(dtype: DType): number {
  switch (dtype) {
    case 'f16':
      return 1;
    case 'q8':
      return 2;
    case 'q4':
      return 3;
    default:
      return 0;
  }
}

/** Bytes the element data of `n` values of `dtype` occupy (before rounding to 16). */
export function dataBytes(dtype: DType, n: number): number {
  switch (dtype) {
    case 'f16':
      return n * 2;
    case 'q8':
      return n;
    case 'q4':
      return Math.ceil(n / 2);
    default:
      return n * 4;
  }
}

/** Narrows a Tensor to a live GpuTensor of this backend, or throws SHAPE naming op and argument. */
export function asGpu(op: string, name: string, t: Tensor): GpuTensor {
  if (!(t instanceof GpuTensor)) {
    throw new EngineError('SHAPE', `${op}: ${name} belongs to the ${t.backend} backend, expected webgpu`);
  }
  if (t.store.freed)
    throw new EngineError('SHAPE', `${op}: ${name} (${t.shape.join(', ')}) was already freed`);
  return t;
}

/** The buffers of named tensors, in the order given (the kernel's binding order). */
export function buffersOf(op: string, named: Record<string, Tensor>): GPUBuffer[] {
  return Object.entries(named).map(([name, t]) => asGpu(op, name, t).buffer);
}

export /** Throws SHAPE when an output shares memory with an input of an op that cannot run in place. */
function noAlias(op: string, outs: GpuTensor[], ins: GpuTensor[]): void {
  for (const o of outs) {
    if (ins.some((i) => i.buffer === o.buffer)) {
      throw new EngineError('SHAPE', `${op}: an output may not alias an input here; pass a separate tensor`);
    }
  }
}
