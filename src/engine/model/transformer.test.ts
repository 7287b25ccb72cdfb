// The inference path on the CPU reference: the backend-agnostic transformer suite (KV cache, MEMOIR
// hook, Qwen2/GQA/untied, quantized weights); the WebGPU tests register the same suite.
import { describe } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { CPU_MODEL_TOLERANCES, transformerSuite } from '../../../tests/helpers/model-suite';

describe('transformer on cpu', () => transformerSuite(() => createBackend('cpu'), CPU_MODEL_TOLERANCES));
