// The CPU Backend wrapper: registry lookup, memory semantics (zero alloc, copy-on-upload, views,
// use-after-free) and the shape/dtype messages ops raise on entry.
import { describe, expect, it } from 'vitest';
import './backend';
import { createBackend, type Backend } from '../backend';
import { EngineError } from '../errors';

describe('cpu backend', () => {
  it('is found by name; an unregistered backend is UNIMPLEMENTED with a hint', async () => {
    expect((await createBackend('cpu')).name).toBe('cpu');
    await expect(createBackend('webgpu')).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    await expect(createBackend('webgpu')).rejects.toThrow(/no backend registered as "webgpu"\nHINT/);
  });

  it('allocates zeros, copies uploads, writes at an offset, shares memory with views', async () => {
    const b: Backend = await createBackend('cpu');
    expect(await b.download(b.alloc([2, 2]))).toEqual(new Float32Array(4));
    const host = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const t = b.upload([2, 3], { dtype: 'f32', data: host });
    host[0] = 99; // the backend owns a copy
    const v = b.view(t, [3, 2]);
    b.write(v, Float32Array.from([7, 8]), 4);
    expect(Array.from(await b.download(t))).toEqual([1, 2, 3, 4, 7, 8]);
    expect(() => b.view(t, [4, 2])).toThrow('view: (4, 2) has 8 elements, t (2, 3) has 6');
    expect(() => b.write(t, new Float32Array(3), 4)).toThrow(
      'write: 3 elements at offset 4 overflow dst (2, 3)',
    );
    expect(() => b.free(v)).toThrow('free: t (3, 2) is a view; free the original');
    b.free(t);
    await expect(b.download(v)).rejects.toThrow('download: t (3, 2) was already freed');
  });

  it('checks uploads of quantized weights against their layout', async () => {
    const b = await createBackend('cpu');
    expect(() =>
      b.upload([2, 32], { dtype: 'q4', packed: new Uint8Array(32), scales: new Float32Array(1) }),
    ).toThrow('upload: q4 scales for (2, 32) must have 2 elements, got 1');
    expect(() =>
      b.upload([2, 16], { dtype: 'q8', values: new Int8Array(32), scales: new Float32Array(1) }),
    ).toThrow(/q8 weights must be \(OC, C\) with C % 32 == 0, got \(2, 16\)/);
  });

  it('reports expected and received shapes and dtypes as SHAPE errors', async () => {
    const b = await createBackend('cpu');
    const inp = b.alloc([3, 64]);
    const rstd = b.alloc([3]);
    const call = () => b.rmsnormForward(b.alloc([3, 64]), rstd, inp, b.alloc([32]), 1e-5);
    expect(call).toThrow('rmsnormForward: weight must be (C)=(64), got (32)');
    expect(call).toThrow(EngineError);
    const ids = b.alloc([3]); // f32, not i32
    expect(() => b.embeddingForward(b.alloc([3, 4]), ids, b.alloc([10, 4]))).toThrow(
      'embeddingForward: ids must be i32, got f32',
    );
    const q = b.alloc([2, 4, 8]);
    const cache = b.alloc([4, 3, 8]);
    expect(() => b.attentionForward(b.alloc([2, 4, 8]), b.alloc([4, 2, 2]), q, cache, cache, 0, 0)).toThrow(
      'attentionForward: NH=4 must be a multiple of NKV=3',
    );
    const kv = b.alloc([4, 2, 8]);
    expect(() => b.attentionForward(b.alloc([2, 4, 8]), b.alloc([4, 2, 2]), q, kv, kv, 3, 0)).toThrow(
      "attentionForward: past 3 + T 2 exceeds the cache's maxT 4",
    );
  });
});
