// WebGPU forward ops against the CPU reference on seeded random inputs, several shapes each,
// including sizes that are not multiples of the workgroup or tile sizes and in-place variants.
// Skips (and says so) without a WebGPU device. Tolerances: tolerances.ts.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { encodeWeight, type WeightPrecision } from '../quantize';
import { uniformArray } from '../../lib/random';
import { gpuDevice } from '../../../tests/helpers/gpu-device';
import { createWebGpuBackend } from './backend';
import { distinct, ints, invFreqs, parity, rand, randInts, reportMaxErrors } from './testing';

const device = await gpuDevice();

describe.skipIf(!device)('webgpu forward ops vs cpu', () => {
  const cpu: Backend = new CpuBackend();
  let gpu: Backend;
  beforeAll(async () => {
    gpu = await createWebGpuBackend({ device: device! });
  });
  afterAll(() => console.log(`webgpu forward max |gpu - cpu|:\n${reportMaxErrors()}`));

  // Quantized tables (the embedding of a q8/q4 model, also its tied LM head): odd ids hit the high
  // half of f16 words and q4 bytes; C = 96 spans three blocks per row.
  it.each([
    [5, 24, 11, 'f32'],
    [300, 40, 7, 'f32'], // T*C not a multiple of 256
    [7, 37, 9, 'f16'], // odd C: rows start in either half of a word
    [300, 96, 13, 'q8'],
    [9, 64, 21, 'q4'],
  ] as [number, number, number, WeightPrecision][])(
    'embeddingForward T=%i C=%i V=%i %s',
    async (T, C, V, precision) => {
      const wte = encodeWeight(uniformArray(V * C, 2), V, C, precision);
      await parity(cpu, gpu, 'embeddingForward', `T=${T} ${precision}`, (b) => {
        const out = b.alloc([T, C]);
        b.embeddingForward(out, ints(b, randInts(T, 0, V, 1)), b.upload([V, C], wte));
        return { out };
      });
    },
  );

  // A block of rows first.. of a table split by rows: only the ids it holds are written.
  it.each([
    [40, 24, 11, 'f32'],
    [9, 64, 21, 'q4'],
  ] as [number, number, number, WeightPrecision][])(
    'embeddingForward T=%i C=%i V=%i %s, rows 5.. of the table',
    async (T, C, V, precision) => {
      const wte = encodeWeight(uniformArray(V * C, 2), V, C, precision);
      await parity(cpu, gpu, 'embeddingForward', `T=${T} ${precision} first 5`, (b) => {
        const out = rand(b, [T, C], 3);
        b.embeddingForward(out, ints(b, randInts(T, 0, V + 10, 1)), b.upload([V, C], wte), 5);
        return { out };
      });
    },
  );

  it.each([
    [1, 64],
    [7, 100],
    [3, 1000], // C > workgroup size
  ])('rmsnormForward N=%i C=%i', async (N, C) => {
    await parity(cpu, gpu, 'rmsnormForward', `N=${N} C=${C}`, (b) => {
      const [out, rstd] = [b.alloc([N, C]), b.alloc([N])];
      b.rmsnormForward(out, rstd, rand(b, [N, C], 3, 2), rand(b, [C], 4), 1e-5);
      return { out, rstd };
    });
  });

  // [N, C, OC, weight precision, bias]: N <= 16 runs the decode kernel (its 4-wide path when
  // C % 4 == 0), larger N the 64×64-tiled one; C and OC off the tile sizes exercise partial tiles.
  it.each([
    [1, 64, 40, 'f32', false],
    [3, 37, 33, 'f32', true],
    [67, 96, 130, 'f32', false],
    [1, 37, 19, 'f16', true],
    [16, 64, 33, 'f16', true],
    [17, 37, 19, 'f16', false],
    [1, 64, 19, 'q8', false],
    [20, 96, 70, 'q8', true],
    [1, 128, 45, 'q4', true],
    [70, 64, 30, 'q4', false],
  ] as [number, number, number, WeightPrecision, boolean][])(
    'matmulForward N=%i C=%i OC=%i %s bias=%s',
    async (N, C, OC, precision, hasBias) => {
      const w = encodeWeight(uniformArray(OC * C, 6), OC, C, precision);
      await parity(cpu, gpu, 'matmulForward', `N=${N} ${precision}`, (b) => {
        const out = b.alloc([N, OC]);
        const bias = hasBias ? rand(b, [OC], 7) : null;
        b.matmulForward(out, rand(b, [N, C], 5), b.upload([OC, C], w), bias);
        return { out };
      });
    },
  );

  // An LM head block: columns col..col+OC-1 of a wider out, the others kept (decode and tiled kernels).
  it.each([
    [1, 64, 40, 100, 'f32'],
    [3, 37, 33, 7, 'f16'],
    [70, 96, 70, 64, 'q8'],
  ] as [number, number, number, number, WeightPrecision][])(
    'matmulForward N=%i C=%i OC=%i at column %i of out %s',
    async (N, C, OC, col, precision) => {
      const w = encodeWeight(uniformArray(OC * C, 6), OC, C, precision);
      await parity(cpu, gpu, 'matmulForward', `N=${N} col=${col} ${precision}`, (b) => {
        const out = rand(b, [N, col + OC + 3], 8);
        b.matmulForward(out, rand(b, [N, C], 5), b.upload([OC, C], w), rand(b, [OC], 7), col);
        return { out };
      });
    },
  );

  it.each([
    [5, 3, 8, false, false],
    [4, 2, 64, true, false], // in place, positions up to 4000
    [7, 3, 6, true, true], // scaled invFreq, HS/2 odd
  ])('ropeForward T=%i NH=%i HS=%i inPlace=%s scaled=%s', async (T, NH, HS, inPlace, scaled) => {
    await parity(cpu, gpu, 'ropeForward', `T=${T}`, (b) => {
      const inp = rand(b, [T, NH, HS], 8);
      const out = inPlace ? inp : b.alloc([T, NH, HS]);
      const positions = ints(b, randInts(T, 0, inPlace ? 4000 : 50, 9));
      b.ropeForward(out, inp, positions, invFreqs(b, HS, scaled));
      return inPlace ? { out } : { out, inp }; // inp must be untouched when not in place
    });
  });

  // [T, past, NH, NKV, HS, maxT, window]; window 0 = full causal
  it.each([
    [5, 0, 4, 2, 16, 8, 0],
    [1, 7, 4, 4, 8, 12, 0], // decode
    [3, 70, 6, 2, 24, 80, 0], // Tk > workgroup size
    [2, 140, 4, 2, 16, 150, 0], // Tk > SERIAL_MAX_TK: one workgroup per (head, query)
    [5, 0, 4, 2, 16, 8, 3], // sliding window < T, no past
    [3, 9, 2, 1, 8, 13, 5], // window < past: the first keys of the cache masked
    [1, 7, 4, 4, 8, 12, 1], // decode seeing only itself
    [3, 70, 6, 2, 24, 80, 37], // serial kernel, Tk and window off the workgroup size
    [3, 140, 4, 2, 16, 150, 70], // workgroup kernel: the first visible key is not a multiple of WG
    [2, 140, 4, 2, 16, 150, 500], // window longer than the context: full causal
  ])(
    'attentionForward + kvWrite T=%i past=%i NH=%i NKV=%i HS=%i maxT=%i window=%i',
    async (T, past, NH, NKV, HS, maxT, window) => {
      await parity(cpu, gpu, 'attentionForward', `T=${T} past=${past} window=${window}`, (b) => {
        const kCache = rand(b, [maxT, NKV, HS], 10);
        const vCache = rand(b, [maxT, NKV, HS], 11);
        b.kvWrite(kCache, rand(b, [T, NKV, HS], 12), past);
        b.kvWrite(vCache, rand(b, [T, NKV, HS], 13), past);
        const [out, probs] = [b.alloc([T, NH, HS]), b.alloc([NH, T, past + T])];
        b.attentionForward(out, probs, rand(b, [T, NH, HS], 14), kCache, vCache, past, window);
        return { out, probs, kCache };
      });
    },
  );

  it.each([[1000], [4]])('swigluForward / addForward n=%i', async (n) => {
    await parity(cpu, gpu, 'swigluForward', `n=${n}`, (b) => {
      const out = b.alloc([1, n]);
      b.swigluForward(out, rand(b, [1, n], 15, 6), rand(b, [1, n], 16));
      return { out };
    });
    await parity(cpu, gpu, 'addForward', `n=${n}`, (b) => {
      const [a, out] = [rand(b, [n], 17), b.alloc([n])];
      const c = rand(b, [n], 18);
      b.addForward(out, a, c);
      b.addForward(a, a, c); // in place: a = 2c + a_0 - c... a_0 + c
      return { out, a };
    });
  });

  // gate scale 50: gelu_tanh saturates (built-in tanh may give NaN there); n off the workgroup size.
  it.each([
    [1000, 6],
    [300, 50],
  ])('gegluForward n=%i |gate| < %i', async (n, gateScale) => {
    await parity(cpu, gpu, 'gegluForward', `n=${n}`, (b) => {
      const out = b.alloc([1, n]);
      b.gegluForward(out, rand(b, [1, n], 19, gateScale), rand(b, [1, n], 20));
      return { out };
    });
  });

  it.each([[1000], [3]])('scaleForward n=%i, in place too', async (n) => {
    await parity(cpu, gpu, 'scaleForward', `n=${n}`, (b) => {
      const [inp, out] = [rand(b, [n], 21, 3), b.alloc([n])];
      b.scaleForward(out, inp, Math.sqrt(640));
      b.scaleForward(inp, inp, -0.1);
      return { out, inp };
    });
  });

  // [N, C, H, k]
  it.each([
    [3, 37, 100, 29],
    [1, 70, 300, 90],
  ])('maskedMatmulAccumulate N=%i C=%i H=%i k=%i', async (N, C, H, k) => {
    await parity(cpu, gpu, 'maskedMatmulAccumulate', `N=${N}`, (b) => {
      const out = rand(b, [N, C], 19); // accumulates onto existing values
      b.maskedMatmulAccumulate(out, rand(b, [N, H], 20), rand(b, [C, H], 21), ints(b, distinct(k, H, 22)));
      return { out };
    });
  });

  it.each([
    [5, 300],
    [2, 1000],
  ])('crossentropySoftmaxForward N=%i V=%i', async (N, V) => {
    await parity(cpu, gpu, 'crossentropySoftmaxForward', `N=${N}`, (b) => {
      const [losses, probs] = [b.alloc([N]), b.alloc([N, V])];
      const targets = randInts(N, 0, V, 23);
      targets[N - 1] = -1; // an unscored row
      b.crossentropySoftmaxForward(losses, probs, rand(b, [N, V], 24, 5), ints(b, targets));
      return { losses, probs };
    });
  });
});
