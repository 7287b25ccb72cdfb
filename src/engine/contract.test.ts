// The op contract on its own, without a backend: good arguments return the kernel's dims, bad ones
// throw SHAPE naming the op, the argument, what was expected and what came in.
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from './backend';
import {
  checkAddForward,
  checkAttentionBackward,
  checkAttentionForward,
  checkCrossentropySoftmaxBackward,
  checkEmbeddingForward,
  checkGegluBackward,
  checkMatmulBackward,
  checkMatmulForward,
  checkRopeBackward,
  checkRopeForward,
  checkScaleForward,
  checkWrite,
} from './contract';
import { EngineError } from './errors';

/** A shape-only tensor: the contract reads nothing else. */
function t(shape: number[], dtype: DType = 'f32'): Tensor {
  return { backend: 'cpu', dtype, shape };
}

function thrown(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('op contract', () => {
  it('returns the dims a matmul kernel needs, for every weight dtype', () => {
    for (const dtype of ['f32', 'f16', 'q8', 'q4'] as const) {
      expect(checkMatmulForward(t([3, 64]), t([3, 32]), t([64, 32], dtype), t([64]))).toEqual({
        N: 3,
        C: 32,
        OC: 64,
        OCout: 64,
        col: 0,
      });
    }
    expect(checkMatmulBackward(null, t([64, 32]), null, t([3, 64]), t([3, 32]), t([64, 32], 'q4'))).toEqual({
      N: 3,
      C: 32,
      OC: 64,
      OCout: 64,
      col: 0,
    });
  });

  it('a matmul with col writes or reads those columns of a wider out / dout (an LM head block)', () => {
    const dims = { N: 3, C: 32, OC: 64, OCout: 200, col: 136 };
    expect(checkMatmulForward(t([3, 200]), t([3, 32]), t([64, 32], 'q8'), null, 136)).toEqual(dims);
    expect(checkMatmulBackward(t([3, 32]), null, null, t([3, 200]), t([3, 32]), t([64, 32]), 136)).toEqual(
      dims,
    );
    expect(() => checkMatmulForward(t([3, 200]), t([3, 32]), t([64, 32]), null, 137)).toThrow(
      'matmulForward: out must be (N, OCout)=(3, >= col + OC = 201), got (3, 200)',
    );
    expect(() => checkMatmulBackward(null, null, null, t([3, 200]), t([3, 32]), t([64, 32]), -1)).toThrow(
      'matmulBackward: col must be an integer >= 0, got -1',
    );
    expect(() => checkMatmulForward(t([3, 200]), t([3, 32]), t([64, 32]), null)).toThrow(
      'matmulForward: out must be (N, OC)=(3, 64), got (3, 200)',
    );
    expect(() => checkEmbeddingForward(t([2, 8]), t([2], 'i32'), t([5, 8]), 1.5)).toThrow(
      'embeddingForward: firstRow must be an integer >= 0, got 1.5',
    );
  });

  it('says what was expected and what came in', () => {
    const e = thrown(() => checkMatmulForward(t([2, 5]), t([2, 3]), t([5, 4]), null));
    expect(e.code).toBe('SHAPE');
    expect(e.message).toBe('matmulForward: weight must be (OC, C)=(5, 3), got (5, 4)');
    expect(() => checkMatmulForward(t([2, 5]), t([2, 3]), t([5, 3]), t([4]))).toThrow(
      'matmulForward: bias must be (OC)=(5), got (4)',
    );
    expect(() => checkMatmulForward(t([2, 5]), t([2, 3], 'i32'), t([5, 3]), null)).toThrow(
      'matmulForward: inp must be f32, got i32',
    );
    expect(() => checkMatmulBackward(t([2, 4]), null, null, t([2, 5]), t([2, 3]), t([5, 3]))).toThrow(
      'matmulBackward: dinp must be (N, C)=(2, 3), got (2, 4)',
    );
    expect(() => checkAddForward(t([2, 3]), t([2, 3]), t([3, 2]))).toThrow(
      'addForward: b must be (2, 3) like a, got (3, 2)',
    );
    expect(() => checkWrite(t([2, 3]), new Float32Array(3), 4)).toThrow(
      'write: 3 elements at offset 4 overflow dst (2, 3)',
    );
    expect(() => checkCrossentropySoftmaxBackward(t([2, 7]), t([2, 7]), t([2], 'i32'), 0)).toThrow(
      'crossentropySoftmaxBackward: count must be the number of scored rows (> 0), got 0',
    );
  });

  it('checks attention heads, the cache window and the sliding window', () => {
    const [q, out] = [t([2, 4, 8]), t([2, 4, 8])];
    const kv = t([6, 2, 8]);
    expect(checkAttentionForward(out, t([4, 2, 5]), q, kv, kv, 3, 2)).toEqual({
      T: 2,
      NH: 4,
      NKV: 2,
      HS: 8,
      Tk: 5,
      maxT: 6,
    });
    expect(() => checkAttentionForward(out, t([4, 2, 7]), q, kv, kv, 5, 0)).toThrow(
      "attentionForward: past 5 + T 2 exceeds the cache's maxT 6",
    );
    const kv3 = t([6, 3, 8]);
    expect(() => checkAttentionForward(out, t([4, 2, 2]), q, kv3, kv3, 0, 0)).toThrow(
      'attentionForward: NH=4 must be a multiple of NKV=3',
    );
    for (const window of [-1, 1.5, NaN, Infinity]) {
      expect(() => checkAttentionForward(out, t([4, 2, 5]), q, kv, kv, 3, window)).toThrow(
        `attentionForward: window must be an integer >= 0 (0 = full causal), got ${window}`,
      );
    }
  });

  it('holds attentionBackward to exactly T rows of k and v (the stricter of the two old copies)', () => {
    const [dq, dout, q] = [t([3, 4, 8]), t([3, 4, 8]), t([3, 4, 8])];
    const kv = () => t([3, 2, 8]);
    const probs = t([4, 3, 3]);
    expect(checkAttentionBackward(dq, kv(), kv(), dout, q, kv(), kv(), probs, 2)).toEqual({
      T: 3,
      NH: 4,
      NKV: 2,
      HS: 8,
    });
    const cache = t([5, 2, 8]);
    expect(() => checkAttentionBackward(dq, kv(), kv(), dout, q, cache, cache, probs, 0)).toThrow(
      'attentionBackward: k must be (T, NKV, HS)=(3, 2, 8), got (5, 2, 8)',
    );
    expect(() => checkAttentionBackward(dq, kv(), kv(), dout, q, kv(), kv(), probs, -2)).toThrow(
      'attentionBackward: window must be an integer >= 0 (0 = full causal), got -2',
    );
  });

  it('requires an even head size for both halves of rope', () => {
    const x = t([2, 1, 5]);
    expect(() => checkRopeBackward(x, x, t([2], 'i32'), t([2]))).toThrow(
      'ropeBackward: head size HS=5 must be even (rotate_half pairs i with i + HS/2)',
    );
    expect(checkRopeBackward(t([2, 1, 6]), t([2, 1, 6]), t([2], 'i32'), t([3]))).toEqual({
      T: 2,
      NH: 1,
      HS: 6,
    });
  });

  it('holds the GeGLU pair and scale to one shape', () => {
    const x = () => t([2, 3]);
    expect(checkGegluBackward(x(), x(), x(), x(), x())).toEqual({ N: 2, H: 3, n: 6 });
    expect(() => checkGegluBackward(x(), t([3, 2]), x(), x(), x())).toThrow(
      'gegluBackward: dup must be (2, 3) like gate, got (3, 2)',
    );
    expect(checkScaleForward(x(), x(), 8)).toEqual({ n: 6 });
    expect(() => checkScaleForward(t([6]), x(), 8)).toThrow(
      'scaleForward: out must be (2, 3) like inp, got (6)',
    );
    expect(() => checkScaleForward(x(), x(), NaN)).toThrow('scaleForward: s must be finite, got NaN');
  });

  it('holds rope to an f32 invFreq of HS/2 values', () => {
    const x = t([2, 1, 8]);
    expect(() => checkRopeForward(x, x, t([2], 'i32'), t([8]))).toThrow(
      'ropeForward: invFreq must be (HS/2)=(4), got (8)',
    );
    expect(() => checkRopeForward(x, x, t([2], 'i32'), t([4], 'i32'))).toThrow(
      'ropeForward: invFreq must be f32, got i32',
    );
  });
});
