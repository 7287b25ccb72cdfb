// The blocked CPU matmul against the plain loops it replaces: bit-identical on ragged shapes (token counts
// and output channels that are not multiples of the block), with bias, every weight dtype and zero
// gradient rows. The hand-computed and finite-difference cases are in forward.test.ts / backward.test.ts.
import { describe, expect, it } from 'vitest';
import type { HostData } from '../backend';
import { matmulBackward, matmulForward } from './matmul';
import { decodeWeight, encodeWeight } from '../quantize';
import { plainDinp, plainForward } from '../../../tests/helpers/plain-matmul';
import { randn } from '../../../tests/helpers/random';

const SHAPES = [
  [1, 32, 1],
  [3, 32, 5],
  [4, 64, 2],
  [7, 32, 9],
  [9, 96, 4],
] as const;
const DTYPES = ['f32', 'f16', 'q8', 'q4'] as const;

describe('cpu matmul blocking', () => {
  it.each(SHAPES.flatMap((s) => DTYPES.map((d) => [...s, d] as const)))(
    'N %i, C %i, OC %i, %s weights: forward and dinp equal the plain loops bit for bit',
    (N, C, OC, dtype) => {
      const inp = randn(N * C, 1);
      const weight: HostData = encodeWeight(randn(OC * C, 2), OC, C, dtype);
      const decoded = decodeWeight(weight, OC, C);
      const bias = randn(OC, 3);
      const out = new Float32Array(N * OC);
      matmulForward(out, inp, weight, bias, N, C, OC);
      expect(out).toEqual(plainForward(inp, decoded, bias, N, C, OC));

      const dout = randn(N * OC, 4);
      dout.fill(0, 0, Math.min(N, 2) * OC); // zero rows, as the LM head's unscored positions
      const dinp = new Float32Array(N * C).fill(7); // overwritten
      matmulBackward(dinp, null, null, dout, inp, weight, N, C, OC);
      expect(dinp).toEqual(plainDinp(dout, decoded, N, C, OC));
    },
  );
});
