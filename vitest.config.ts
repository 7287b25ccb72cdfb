// Two vitest projects: `unit` (pure logic, CPU backend, Node) and `gpu` (WebGPU kernels in Node
// through npm `webgpu` on the SwiftShader Vulkan ICD). `npm test` runs them in that order.
import { defineConfig } from 'vitest/config';

const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'tools/**/*.test.ts'],
          exclude: ['**/*.gpu.test.ts', 'node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['src/**/*.gpu.test.ts', 'tests/**/*.gpu.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // One Dawn instance per worker process is plenty on 2 cores, and Dawn does not like
          // being torn down mid-run: keep the files in one fork.
          pool: 'forks',
          fileParallelism: false,
          env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? swiftshaderIcd },
        },
      },
    ],
  },
});
