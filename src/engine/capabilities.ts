// What this browser (or Node + Dawn) offers the engine: the WebGPU adapter, the features and limits
// the kernels care about, and cross-origin isolation. Pure probing; creating the device that the
// engine uses is webgpu/device.ts's job.

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software/fallback adapters (e.g. SwiftShader): correct but slow. */
  isFallbackAdapter: boolean;
  features: { shaderF16: boolean; subgroups: boolean; timestampQuery: boolean };
  subgroupSizes: { min: number; max: number } | null;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxStorageBuffersPerShaderStage: number;
  };
}

export type WebGpuAvailability =
  { available: true; adapter: AdapterReport } | { available: false; reason: string };

export interface Capabilities {
  webgpu: WebGpuAvailability;
  crossOriginIsolated: boolean;
  /** The backend the engine will run on. */
  backend: 'webgpu' | 'cpu';
}

/** Asks for the default adapter, then a fallback one; never throws. */
export async function probeCapabilities(gpu: GPU | undefined, isolated: boolean): Promise<Capabilities> {
  const webgpu = await probeWebGpu(gpu);
  return { webgpu, crossOriginIsolated: isolated, backend: webgpu.available ? 'webgpu' : 'cpu' };
}

async function probeWebGpu(gpu: GPU | undefined): Promise<WebGpuAvailability> {
  if (!gpu)
    return { available: false, reason: 'navigator.gpu is missing: this browser does not expose WebGPU.' };
  try {
    const adapter =
      (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
    if (!adapter) return { available: false, reason: 'WebGPU is exposed but no adapter was granted.' };
    return { available: true, adapter: describeAdapter(adapter) };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
}

export function describeAdapter(adapter: GPUAdapter): AdapterReport {
  const info = adapter.info as GPUAdapterInfo & {
    isFallbackAdapter?: boolean;
    subgroupMinSize?: number;
    subgroupMaxSize?: number;
  };
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const { limits } = adapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacyFallback),
    features: {
      shaderF16: adapter.features.has('shader-f16'),
      subgroups: adapter.features.has('subgroups'),
      timestampQuery: adapter.features.has('timestamp-query'),
    },
    subgroupSizes: info.subgroupMinSize
      ? { min: info.subgroupMinSize, max: info.subgroupMaxSize ?? 0 }
      : null,
    limits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  };
}
