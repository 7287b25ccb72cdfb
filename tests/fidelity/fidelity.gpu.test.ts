// Fidelity on the webgpu backend (Dawn through npm `webgpu`): the same suites as fidelity.test.ts.
// Skips, saying so, without a WebGPU device (tests/helpers/gpu-device.ts).
import { describe } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { createWebGpuBackend } from '../../src/engine/webgpu/backend';
import { gpuDevice } from '../helpers/gpu-device';
import { hubFixtureSuite, stories260kSuite } from './suites';

const device = await gpuDevice();
// One backend for the file: its pipeline cache compiles each kernel variant once.
let shared: Promise<Backend> | null = null;
const backend = () => (shared ??= createWebGpuBackend({ device: device! }));

describe.skipIf(!device)('hub fixtures vs transformers (webgpu)', () => hubFixtureSuite('webgpu', backend));
describe.skipIf(!device)('stories260K (webgpu)', () => stories260kSuite(backend));
