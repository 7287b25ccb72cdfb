// The MEMOIR edit path on the CPU reference: the backend-agnostic edit suite (loss → Wm gradient vs
// finite differences at both layers and through q8 weights, SGD convergence, loss consistency).
import { describe } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { CPU_MODEL_TOLERANCES, editSuite } from '../../../tests/helpers/model-suite';

describe('edit gradient on cpu', () => editSuite(() => createBackend('cpu'), CPU_MODEL_TOLERANCES));
