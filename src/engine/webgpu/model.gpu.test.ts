// Tiny whole models on the webgpu backend: the backend-agnostic transformer and edit suites of
// tests/helpers/model-suite.ts (KV-cache decode = full forward, MEMOIR hook, Qwen2/GQA/untied,
// quantized weights, dWm vs finite differences, SGD convergence; llama3 rope, qwen3, gemma3_text).
// Skips without a WebGPU device.
import { describe } from 'vitest';
import { editSuite, familySuite, transformerSuite } from '../../../tests/helpers/model-suite';
import { gpuDevice } from '../../../tests/helpers/gpu-device';
import type { Backend } from '../backend';
import { createWebGpuBackend } from './backend';
import { WEBGPU_MODEL_TOLERANCES } from './tolerances';

const device = await gpuDevice();
// One backend for the whole file: its pipeline cache then compiles each kernel variant once.
let shared: Promise<Backend> | null = null;
const backend = () => (shared ??= createWebGpuBackend({ device: device! }));

describe.skipIf(!device)('transformer on webgpu', () => transformerSuite(backend, WEBGPU_MODEL_TOLERANCES));
describe.skipIf(!device)('edit path on webgpu', () => editSuite(backend, WEBGPU_MODEL_TOLERANCES));
describe.skipIf(!device)('families on webgpu', () => familySuite(backend, WEBGPU_MODEL_TOLERANCES));
