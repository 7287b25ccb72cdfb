// Fidelity on the cpu backend: the hub-layout fixtures against transformers' semantics and
// stories260K's greedy decode (suites.ts). The webgpu twin is fidelity.gpu.test.ts.
import { describe } from 'vitest';
import { createBackend } from '../../src/engine/backend';
import '../../src/engine/cpu/backend';
import { hubFixtureSuite, stories260kSuite } from './suites';

const backend = () => createBackend('cpu');

describe('hub fixtures vs transformers (cpu)', () => hubFixtureSuite('cpu', backend));
describe('stories260K (cpu)', () => stories260kSuite(backend));
