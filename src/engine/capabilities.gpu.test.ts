// The capability report on a real WebGPU implementation (Dawn on SwiftShader here).
import { describe, expect, it } from 'vitest';
import { describeAdapter } from './capabilities';

describe('describeAdapter (Node WebGPU)', async () => {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();

  // Skips only where no Vulkan driver exists and CI did not demand one (see tests/helpers/gpu-device.ts).
  it.skipIf(!adapter && !process.env.EDITSCOPE_REQUIRE_GPU)(
    'reports the adapter, its features and the limits the kernels use',
    () => {
      expect(adapter, 'a WebGPU adapter from Dawn').not.toBeNull();
      const report = describeAdapter(adapter!);
      expect(report.features.subgroups).toBe(adapter!.features.has('subgroups'));
      expect(report.features.shaderF16).toBe(adapter!.features.has('shader-f16'));
      expect(report.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
      expect(report.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
      expect(`${report.vendor} ${report.architecture}`.trim()).not.toBe('');
      void gpu; // keep the Dawn instance alive while its adapter is in use
    },
  );
});
