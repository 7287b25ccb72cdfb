// The one WebGPU device shared by every *.gpu.test.ts in a test process: Dawn through npm `webgpu`
// (SwiftShader's Vulkan ICD, set by the vitest `gpu` project), or null when none can be made, in
// which case suites skip via describe.skipIf and this helper says why. Destroys the device afterAll
// so Dawn lets the worker process exit. Not a backend factory: tests wrap the device themselves.
import { afterAll } from 'vitest';

let shared: Promise<GPUDevice | null> | null = null;
/** Dawn in Node frees its instance when the GPU object is garbage-collected, even while a device made
 *  from it is in use; ProcessEvents then locks a freed mutex and the process aborts at random
 *  ("futex facility returned an unexpected error code"). Holding it here prevents that. */
let instance: GPU | null = null;

async function open(): Promise<GPUDevice | null> {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    instance = create([]);
    const adapter = await instance.requestAdapter();
    if (!adapter) throw new Error('no adapter (is VK_ICD_FILENAMES set to a Vulkan ICD?)');
    const requiredFeatures = (['shader-f16', 'subgroups', 'timestamp-query'] as GPUFeatureName[]).filter(
      (f) => adapter.features.has(f),
    );
    const requiredLimits = {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    };
    return await adapter.requestDevice({ label: 'editscope-tests', requiredFeatures, requiredLimits });
  } catch (error) {
    const reason = `no WebGPU device in Node (${(error as Error).message})`;
    // CI must not go green by skipping: .ci/run sets this, so a missing device fails the run there.
    if (process.env.EDITSCOPE_REQUIRE_GPU)
      throw new Error(`GPU tests required but ${reason}`, { cause: error });
    console.warn(`GPU tests skipped: ${reason}`);
    return null;
  }
}

/** A second, private device from the same instance, for tests that destroy it (device loss). */
export async function extraGpuDevice(): Promise<GPUDevice | null> {
  if (!(await gpuDevice()) || !instance) return null;
  const adapter = await instance.requestAdapter();
  return adapter ? adapter.requestDevice({ label: 'editscope-tests-extra' }) : null;
}

/** The shared device, or null (tests then skip). Call at the top level of a test file. */
export async function gpuDevice(): Promise<GPUDevice | null> {
  if (!shared) {
    shared = open();
    afterAll(async () => {
      const device = await shared;
      shared = null;
      device?.destroy();
      instance = null;
    });
  }
  return shared;
}
