// Acquires the GPUDevice the webgpu backend runs on: the adapter's best limits for buffers and
// workgroups, the optional features the kernels use, and a watch on device loss that turns it into
// EngineError DEVICE_LOST for every later call. Works with navigator.gpu (page or Web Worker) and
// with any GPU object handed in (Node + Dawn in tests). Not a capability report: see ../capabilities.ts.
import { EngineError } from '../errors';

export interface GpuFeatures {
  shaderF16: boolean;
  subgroups: boolean;
  timestampQuery: boolean;
}

/** The device plus what the engine learnt about it. `lost` is set once the device is gone. */
export interface GpuContext {
  /** Held so that Node's Dawn does not free its instance (and break the device) when the GPU object is collected. */
  readonly gpu: GPU | null;
  readonly device: GPUDevice;
  readonly features: GpuFeatures;
  lost: EngineError | null;
}

/** Limits the kernels and the pool lean on; each is raised to the adapter's maximum. */
const WANTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

function defaultGpu(): GPU | undefined {
  return typeof navigator !== 'undefined' ? navigator.gpu : undefined;
}

/** Requests an adapter (falling back to a software one) and a device; throws UNIMPLEMENTED without WebGPU. */
export async function requestGpuContext(gpu: GPU | undefined = defaultGpu()): Promise<GpuContext> {
  if (!gpu) {
    throw new EngineError(
      'UNIMPLEMENTED',
      'webgpu: navigator.gpu is missing, so the webgpu backend cannot start',
      'use the cpu backend, or a browser with WebGPU enabled',
    );
  }
  const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
  if (!adapter) {
    throw new EngineError('UNIMPLEMENTED', 'webgpu: no WebGPU adapter was granted', 'use the cpu backend');
  }
  const features: GpuFeatures = {
    shaderF16: adapter.features.has('shader-f16'),
    subgroups: adapter.features.has('subgroups'),
    timestampQuery: adapter.features.has('timestamp-query'),
  };
  const requiredFeatures: GPUFeatureName[] = [];
  if (features.shaderF16) requiredFeatures.push('shader-f16');
  if (features.subgroups) requiredFeatures.push('subgroups' as GPUFeatureName);
  if (features.timestampQuery) requiredFeatures.push('timestamp-query');
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: 'editscope', requiredFeatures, requiredLimits });
  return watchDevice(device, features, gpu);
}

/** Wraps an existing device (tests, or a device shared with onnxruntime-web). */
export function watchDevice(device: GPUDevice, features?: GpuFeatures, gpu: GPU | null = null): GpuContext {
  const ctx: GpuContext = {
    gpu,
    device,
    features: features ?? {
      shaderF16: device.features.has('shader-f16'),
      subgroups: device.features.has('subgroups'),
      timestampQuery: device.features.has('timestamp-query'),
    },
    lost: null,
  };
  void device.lost.then((info) => {
    ctx.lost = new EngineError(
      'DEVICE_LOST',
      `webgpu: the GPU device was lost (${info.reason}): ${info.message || 'no message'}`,
      'reload the model; if it keeps happening, use smaller models or the cpu backend',
    );
  });
  return ctx;
}

/** Throws the stored DEVICE_LOST error, if any. Every backend entry point calls it first. */
export function ensureAlive(ctx: GpuContext): void {
  if (ctx.lost) throw ctx.lost;
}
