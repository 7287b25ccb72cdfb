// WebGPU backward ops against the CPU reference on seeded random inputs, several shapes each.
// Parameter gradients start from random values to check that they ACCUMULATE; activation gradients
// start from garbage to check that they OVERWRITE. Skips (and says so) without a WebGPU device.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend, Tensor } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { encodeWeight, type WeightPrecision } from '../quantize';
import { uniformArray } from '../../lib/random';
import { gpuDevice } from '../../../tests/helpers/gpu-device';
import { createWebGpuBackend } from './backend';
import { distinct, ints, invFreqs, parity, rand, randInts, reportMaxErrors } from './testing';

const device = await gpuDevice();

/** An activation-gradient output pre-filled with garbage, which the op must overwrite. */
const garbage = (b: Backend, shape: number[]): Tensor => rand(b, shape, 999, 100);

describe.skipIf(!device)('webgpu backward ops vs cpu', () => {
  const cpu: Backend = new CpuBackend();
  let gpu: Backend;
  beforeAll(async () => {
    gpu = await createWebGpuBackend({ device: device! });
  });
  afterAll(() => console.log(`webgpu backward max |gpu - cpu|:\n${reportMaxErrors()}`));

  it.each([
    [5, 300],
    [3, 1000],
  ])('crossentropySoftmaxBackward N=%i V=%i', async (N, V) => {
    await parity(cpu, gpu, 'crossentropySoftmaxBackward', `N=${N}`, (b) => {
      const dlogits = garbage(b, [N, V]);
      const targets = randInts(N, 0, V, 30);
      targets[1] = -1;
      b.crossentropySoftmaxBackward(dlogits, rand(b, [N, V], 31, 0.5), ints(b, targets), N - 1);
      return { dlogits };
    });
  });

  // [N, C, OC, which gradients, weight precision]: N > 64 or C/OC off the 64 tile exercise partial
  // tiles; quantized weights are decoded for dinp exactly as in the forward.
  it.each([
    [5, 37, 70, 'all', 'f32'],
    [67, 96, 33, 'all', 'f32'],
    [1, 64, 130, 'dinp', 'f32'],
    [3, 20, 9, 'params', 'f32'],
    [6, 37, 21, 'all', 'f16'],
    [4, 64, 70, 'dinp', 'q8'],
    [70, 96, 30, 'all', 'q4'],
  ] as [number, number, number, string, WeightPrecision][])(
    'matmulBackward N=%i C=%i OC=%i %s %s',
    async (N, C, OC, which, precision) => {
      const weight = encodeWeight(uniformArray(OC * C, 36), OC, C, precision);
      await parity(cpu, gpu, 'matmulBackward', `N=${N} ${which} ${precision}`, (b) => {
        const dinp = which === 'params' ? null : garbage(b, [N, C]);
        const dweight = which === 'dinp' ? null : rand(b, [OC, C], 32);
        const dbias = which === 'dinp' ? null : rand(b, [OC], 33);
        b.matmulBackward(
          dinp,
          dweight,
          dbias,
          rand(b, [N, OC], 34),
          rand(b, [N, C], 35),
          b.upload([OC, C], weight),
        );
        const outs: Record<string, Tensor> = {};
        if (dinp) outs.dinp = dinp;
        if (dweight && dbias) Object.assign(outs, { dweight, dbias });
        return outs;
      });
    },
  );

  // An LM head block: dout is columns col..col+OC-1 of a wider (N, OCout) gradient.
  it.each([
    [3, 32, 40, 100, 'f32'],
    [70, 64, 30, 97, 'q8'],
  ] as [number, number, number, number, WeightPrecision][])(
    'matmulBackward N=%i C=%i OC=%i at column %i of dout %s',
    async (N, C, OC, col, precision) => {
      const weight = encodeWeight(uniformArray(OC * C, 38), OC, C, precision);
      await parity(cpu, gpu, 'matmulBackward', `N=${N} col=${col} ${precision}`, (b) => {
        const [dinp, dweight, dbias] = [garbage(b, [N, C]), rand(b, [OC, C], 32), rand(b, [OC], 33)];
        const dout = rand(b, [N, col + OC + 5], 34);
        b.matmulBackward(dinp, dweight, dbias, dout, rand(b, [N, C], 35), b.upload([OC, C], weight), col);
        return { dinp, dweight, dbias };
      });
    },
  );

  it.each([
    [1, 64, true],
    [7, 100, true],
    [3, 1000, false], // C > workgroup size, no dweight
  ])('rmsnormBackward N=%i C=%i dweight=%s', async (N, C, withWeight) => {
    await parity(cpu, gpu, 'rmsnormBackward', `N=${N} C=${C}`, (b) => {
      const dinp = garbage(b, [N, C]);
      const dweight = withWeight ? rand(b, [C], 37) : null;
      const rstd = b.upload([N], {
        dtype: 'f32',
        data: Float32Array.from({ length: N }, (_, i) => 0.5 + i / N),
      });
      b.rmsnormBackward(dinp, dweight, rand(b, [N, C], 38), rand(b, [N, C], 39, 2), rand(b, [C], 40), rstd);
      return dweight ? { dinp, dweight } : { dinp };
    });
  });

  it.each([
    [5, 3, 8, false, false],
    [4, 2, 64, true, false], // in place, positions up to 4000
    [7, 3, 6, false, true], // scaled invFreq, HS/2 odd
  ])('ropeBackward T=%i NH=%i HS=%i inPlace=%s scaled=%s', async (T, NH, HS, inPlace, scaled) => {
    await parity(cpu, gpu, 'ropeBackward', `T=${T}`, (b) => {
      const dout = rand(b, [T, NH, HS], 41);
      const dinp = inPlace ? dout : garbage(b, [T, NH, HS]);
      const positions = ints(b, randInts(T, 0, inPlace ? 4000 : 50, 42));
      b.ropeBackward(dinp, dout, positions, invFreqs(b, HS, scaled));
      return { dinp };
    });
  });

  // [T, NH, NKV, HS, window]: probs come from each backend's own forward (past = 0), as in an edit.
  it.each([
    [5, 4, 2, 16, 0],
    [1, 2, 1, 8, 0],
    [70, 3, 3, 24, 0], // T > workgroup size
    [5, 4, 2, 16, 2], // sliding window < T
    [7, 2, 1, 8, 1], // each query sees only its own key
    [70, 3, 3, 24, 37], // T and window off the workgroup size
  ])('attentionBackward T=%i NH=%i NKV=%i HS=%i window=%i', async (T, NH, NKV, HS, window) => {
    await parity(cpu, gpu, 'attentionBackward', `T=${T} window=${window}`, (b) => {
      const [q, k, v] = [rand(b, [T, NH, HS], 43), rand(b, [T, NKV, HS], 44), rand(b, [T, NKV, HS], 45)];
      const [out, probs] = [b.alloc([T, NH, HS]), b.alloc([NH, T, T])];
      b.attentionForward(out, probs, q, k, v, 0, window);
      const [dq, dk, dv] = [garbage(b, [T, NH, HS]), garbage(b, [T, NKV, HS]), garbage(b, [T, NKV, HS])];
      b.attentionBackward(dq, dk, dv, rand(b, [T, NH, HS], 46), q, k, v, probs, window);
      return { dq, dk, dv };
    });
  });

  it.each([[1000], [3]])('swigluBackward n=%i', async (n) => {
    await parity(cpu, gpu, 'swigluBackward', `n=${n}`, (b) => {
      const [dgate, dup] = [garbage(b, [1, n]), garbage(b, [1, n])];
      b.swigluBackward(dgate, dup, rand(b, [1, n], 47), rand(b, [1, n], 48, 6), rand(b, [1, n], 49));
      return { dgate, dup };
    });
  });

  // gate scale 50: s (1 - s) underflows; the kernel must give 0 there, not NaN.
  it.each([
    [1000, 6],
    [300, 50],
  ])('gegluBackward n=%i |gate| < %i', async (n, gateScale) => {
    await parity(cpu, gpu, 'gegluBackward', `n=${n}`, (b) => {
      const [dgate, dup] = [garbage(b, [1, n]), garbage(b, [1, n])];
      b.gegluBackward(dgate, dup, rand(b, [1, n], 50), rand(b, [1, n], 51, gateScale), rand(b, [1, n], 52));
      return { dgate, dup };
    });
  });

  // [N, C, H, k]
  it.each([
    [3, 37, 100, 29],
    [12, 70, 300, 90],
  ])('maskedMatmulBackward N=%i C=%i H=%i k=%i', async (N, C, H, k) => {
    await parity(cpu, gpu, 'maskedMatmulBackward', `N=${N}`, (b) => {
      const dwm = rand(b, [C, H], 50); // accumulates; columns outside cols must stay untouched
      b.maskedMatmulBackward(dwm, rand(b, [N, C], 51), rand(b, [N, H], 52), ints(b, distinct(k, H, 53)));
      return { dwm };
    });
  });
});
