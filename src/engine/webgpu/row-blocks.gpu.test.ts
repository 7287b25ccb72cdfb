// Tables split by rows on the webgpu backend: the whole-model suite of tests/helpers/split-suite.ts
// (logits, KV-cache decode, generation, edit loss and dWm of a model whose embedding and LM head sit in
// 4 row blocks under injected limits, against the same model loaded whole), f32 and q8, tied and untied.
// Skips without a WebGPU device.
import { describe } from 'vitest';
import { gpuDevice } from '../../../tests/helpers/gpu-device';
import { splitSuite } from '../../../tests/helpers/split-suite';
import { createWebGpuBackend } from './backend';

const device = await gpuDevice();

describe.skipIf(!device)('a model with its tables in row blocks on webgpu', () =>
  splitSuite(() => createWebGpuBackend({ device: device! }), {
    logits: 1e-6,
    grad: { atol: 1e-6, rtol: 1e-4 },
  }),
);
