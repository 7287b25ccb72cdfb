// The webgpu backend's machinery: SHADER_COMPILE errors from the pipeline cache, buffer pool reuse
// (only after a submit, zero-filled on alloc) and its budget (trim and retry, then OOM), dispatch
// counters and the per-kernel profiler, shape errors, write/view, and DEVICE_LOST after the device goes away.
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { extraGpuDevice, gpuDevice } from '../../../tests/helpers/gpu-device';
import { createWebGpuBackend, type WebGpuBackend } from './backend';
import { GpuTensor } from './tensor';

const device = await gpuDevice();

async function rejection(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (error) {
    return error as EngineError;
  }
  throw new Error('expected a rejection');
}

function thrown(f: () => unknown): EngineError {
  try {
    f();
  } catch (error) {
    return error as EngineError;
  }
  throw new Error('expected a throw');
}

describe.skipIf(!device)('webgpu runtime', () => {
  let b: WebGpuBackend;
  beforeAll(async () => {
    b = await createWebGpuBackend({ device: device! });
  });

  it('reports a WGSL compile error as SHADER_COMPILE: <key>: <message> at the next sync', async () => {
    b.rt.pipelines.get({ name: 'broken_kernel', code: 'fn main( {' }, { WG: 64 });
    const error = await rejection(b.sync());
    expect(error.code).toBe('SHADER_COMPILE');
    expect(error.message).toMatch(/^SHADER_COMPILE: broken_kernel\[WG=64\]: .*expected/s);
    await b.sync(); // reported once
  });

  it('reuses a freed buffer only after a submit, and zero-fills it on alloc', async () => {
    const first = b.alloc([100]) as GpuTensor;
    b.write(first, new Float32Array(100).fill(7));
    b.free(first);
    const early = b.alloc([100]) as GpuTensor; // same submit window: must not get first's buffer
    expect(early.buffer).not.toBe(first.buffer);
    await b.sync();
    const reused = b.alloc([100]) as GpuTensor;
    expect(reused.buffer).toBe(first.buffer);
    expect(Array.from(await b.download(reused)).every((x) => x === 0)).toBe(true);
    b.free(early);
    b.free(reused);
  });

  it("exposes the device's buffer limits, which a model's tensors are checked against before upload", () => {
    const { maxBufferSize, maxStorageBufferBindingSize } = device!.limits;
    expect(b.limits).toEqual({ maxBufferSize, maxStorageBufferBindingSize });
    expect(maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20); // WebGPU's guaranteed minimum
  });

  it('empties the pool and retries once when over budget, then throws OOM with the numbers', async () => {
    const small = await createWebGpuBackend({ device: device!, budgetBytes: 4096 });
    small.free(small.alloc([512])); // 2048 bytes, pooled after the next submit
    await small.sync();
    expect(small.rt.pool.stats.bytesPooled).toBe(2048);
    const big = small.alloc([768]); // 3072: fits only once the pooled 2048 are released
    expect(small.rt.pool.stats).toMatchObject({ bytesPooled: 0, bytesInUse: 3072 });
    const error = thrown(() => small.alloc([512]));
    expect(error.code).toBe('OOM');
    expect(error.message).toMatch(/cannot allocate 2048 bytes .*3072 bytes in use, budget 4096/);
    small.free(big);
  });

  it('counts dispatches per op', async () => {
    const x = b.upload([3, 8], { dtype: 'f32', data: new Float32Array(24).fill(1) });
    const w = b.upload([4, 8], { dtype: 'f32', data: new Float32Array(32).fill(0.5) });
    const [out, rstd, y] = [b.alloc([3, 8]), b.alloc([3]), b.alloc([3, 4])];
    b.resetCounters();
    b.rmsnormForward(out, rstd, x, b.upload([8], { dtype: 'f32', data: new Float32Array(8).fill(1) }), 0);
    b.matmulForward(y, out, w, null);
    b.kvWrite(b.alloc([4, 1, 8]), b.view(x, [3, 1, 8]), 1);
    expect(b.counters).toMatchObject({ dispatches: 2, copies: 1 });
    expect(Array.from(await b.download(y))).toEqual(new Array(12).fill(4));
    expect(b.counters.submits).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!device?.features.has('timestamp-query'))(
    'times every dispatch per kernel while profiling, results unchanged',
    async () => {
      const x = b.upload([2, 8], { dtype: 'f32', data: new Float32Array(16).fill(0.5) });
      const w = b.upload([300, 8], { dtype: 'f32', data: new Float32Array(2400).fill(1) });
      const [y, zero] = [b.alloc([2, 300]), b.alloc([2, 8])];
      b.rt.startProfile();
      for (let i = 0; i < 300; i++) b.addForward(x, x, zero); // more dispatches than one batch times
      b.matmulForward(y, x, w, null);
      const times = await b.rt.stopProfile();
      expect(times.get('add_forward')?.dispatches).toBe(300);
      expect(times.get('matmul_forward_vec')?.dispatches).toBe(1);
      for (const t of times.values()) expect(t.ms).toBeGreaterThanOrEqual(0);
      expect(Array.from(await b.download(y))).toEqual(new Array(600).fill(4));
    },
  );

  it('writes at an offset and reads through a view; rejects bad shapes, dtypes and freed tensors', async () => {
    const t = b.alloc([2, 3]);
    b.write(t, Float32Array.from([1, 2]), 4);
    expect(Array.from(await b.download(b.view(t, [6])))).toEqual([0, 0, 0, 0, 1, 2]);
    const w = b.alloc([5, 4]);
    const shape = thrown(() => b.matmulForward(b.alloc([2, 5]), t, w, null));
    expect(shape.code).toBe('SHAPE');
    expect(shape.message).toBe('matmulForward: weight must be (OC, C)=(5, 3), got (5, 4)');
    expect(thrown(() => b.write(t, Int32Array.from([1]))).code).toBe('SHAPE');
    expect((await rejection(b.download(b.alloc([2], 'i32')))).code).toBe('SHAPE');
    b.free(t);
    expect(thrown(() => b.addForward(w, w, t)).message).toMatch(/addForward: .* was already freed|must be/);
  });

  it('turns device loss into DEVICE_LOST for later calls', async () => {
    const extra = await extraGpuDevice();
    if (!extra) return;
    const lost = await createWebGpuBackend({ device: extra });
    const t = lost.alloc([4]);
    extra.destroy();
    await extra.lost;
    expect(thrown(() => lost.alloc([4])).code).toBe('DEVICE_LOST');
    expect((await rejection(lost.download(t))).code).toBe('DEVICE_LOST');
  });
});
