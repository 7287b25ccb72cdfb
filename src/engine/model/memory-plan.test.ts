// modelMemoryPlan against hand-computed Qwen2.5-0.5B sizes and against what uploadParams really
// uploads (every family, every precision); checkBackendLimits' message and that it runs before the
// first upload.
import { describe, expect, it } from 'vitest';
import { type HostData, tensorBytes } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { EngineError } from '../errors';
import { parseConfig } from '../../models/config';
import type { WeightPrecision } from '../quantize';
import { gemma3Spec } from '../../../tests/helpers/model-suite';
import { tinyConfigJson, tinyModel, type TinySpec } from '../../../tests/helpers/tiny-model';
import { checkBackendLimits, modelMemoryPlan } from './memory-plan';
import { paramTensors } from './params';

// Qwen2.5-0.5B's shape: V 151936, C 896, H 4864, 24 layers, 14 heads of 64, 2 KV heads, tied.
const qwen = parseConfig(
  tinyConfigJson({ modelType: 'qwen2', C: 896, H: 4864, L: 24, NH: 14, NKV: 2, V: 151936 }),
  'qwen2.5-0.5b',
);
const VC = 151936 * 896;
const MiB = 2 ** 20;

describe('modelMemoryPlan', () => {
  it('Qwen2.5-0.5B: the embedding is 545 MB at f32, values + one f32 scale per 32 at q8/q4', () => {
    expect(modelMemoryPlan(qwen, 'f32').bytesByKind.embedding).toBe(VC * 4);
    expect(modelMemoryPlan(qwen, 'f16').bytesByKind.embedding).toBe(VC * 2);
    const q8 = modelMemoryPlan(qwen, 'q8');
    expect(q8.tensors.find((t) => t.kind === 'embedding')!.buffers).toEqual([VC, VC / 8]);
    expect(modelMemoryPlan(qwen, 'q4').bytesByKind.embedding).toBe(VC / 2 + VC / 8);
    expect(q8.bytesByKind.lmHead).toBe(0); // tied: the head is the embedding
    // 494,032,768 parameters (the published count), all f32: norms, biases, and 1 RoPE table of 32.
    const f32 = modelMemoryPlan(qwen, 'f32');
    expect(f32.totalBytes).toBe((494_032_768 + 32) * 4);
    expect(f32.bytesByKind.bias).toBe(24 * (896 + 2 * 128) * 4);
  });

  // [spec, what it covers]
  it.each([
    [{}, 'llama, tied'],
    [{ modelType: 'qwen2', tied: false, C: 32, NH: 4 }, 'qwen2: q/k/v biases, untied head'],
    [{ ...gemma3Spec(2), C: 32 }, 'gemma3: q/k norms, four norms per layer, two RoPE tables'],
  ] as [TinySpec, string][])('%o (%s): bytes and dtypes are what uploadParams uploads', async (spec) => {
    for (const precision of ['f32', 'f16', 'q8', 'q4'] as WeightPrecision[]) {
      const b = new CpuBackend();
      const model = await tinyModel(b, { C: 32, ...spec }, precision);
      const p = model.params;
      const uploaded = [...paramTensors(p), ...new Set(p.layers.map((l) => l.invFreq))];
      const plan = modelMemoryPlan(model.config, precision);
      expect(plan.totalBytes, precision).toBe(uploaded.reduce((n, t) => n + tensorBytes(t), 0));
      const dtypes = (ds: string[]) => ds.sort().join(' ');
      expect(dtypes(plan.tensors.map((t) => t.dtype))).toBe(dtypes(uploaded.map((t) => t.dtype)));
      model.free();
    }
  });
});

describe('checkBackendLimits', () => {
  const limits = (binding: number, buffer = 4 * 2 ** 30) => ({
    maxBufferSize: buffer,
    maxStorageBufferBindingSize: binding,
  });

  it('names the tensor, its bytes, the limit and the precisions that fit', () => {
    expect(() => checkBackendLimits(qwen, 'f32', limits(128 * MiB))).toThrow(
      "load: model.embed_tokens.weight (151936, 896) needs a 545 MB buffer at f32, above this adapter's " +
        'maxStorageBufferBindingSize of 128 MiB (134217728 bytes); f16 (272 MB) would not fit either, ' +
        'q8 (136 MB) would not fit either, q4 (68 MB) would\nHINT: load it at q4',
    );
    expect(() => checkBackendLimits(qwen, 'q8', limits(256 * MiB, 128 * MiB))).toThrow(
      /needs a 136 MB buffer at q8, above this adapter's maxBufferSize of 128 MiB .*; q4 \(68 MB\) would/,
    );
    expect(() => checkBackendLimits(qwen, 'q4', limits(16 * MiB))).toThrow(
      /needs a 68 MB buffer at q4.*of 16 MiB \(16777216 bytes\)\nHINT: no precision fits/,
    );
    expect(() => checkBackendLimits(qwen, 'f32', limits(2 ** 30))).not.toThrow(); // SwiftShader's 1 GiB
    expect(() => checkBackendLimits(qwen, 'q8', limits(Infinity, Infinity))).not.toThrow();
  });

  it('refuses in uploadParams before anything is uploaded, as OOM', async () => {
    class SmallBackend extends CpuBackend {
      override readonly limits = limits(64 * 32 * 4 - 1); // a byte short of the f32 embedding (64, 32)
      uploads = 0;
      override upload(shape: readonly number[], host: HostData) {
        this.uploads++;
        return super.upload(shape, host);
      }
    }
    const b = new SmallBackend();
    const error = await tinyModel(b, { V: 64, C: 32 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('OOM');
    expect((error as EngineError).message).toMatch(
      /embed_tokens.weight \(64, 32\) needs a 8\.2 kB .*f16 \(4\.1 kB\) would,/,
    );
    expect(b.uploads).toBe(0);
    expect((await tinyModel(b, { V: 64, C: 32 }, 'f16')).params.wte.dtype).toBe('f16');
  });
});
