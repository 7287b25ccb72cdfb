// modelMemoryPlan against hand-computed Qwen2.5-0.5B sizes and against what uploadParams really
// uploads (every family, every precision); checkBackendLimits: which tables it splits by rows, what it
// refuses and the message, and that it runs before the first upload.
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

  it('splits the embedding by rows where one buffer cannot hold it, at every precision', () => {
    // 545 MB f32 in 128 MiB: 5 blocks of 30387-30388 rows (109 MB each); q8's values, 136 MB, in 2.
    const f32 = checkBackendLimits(qwen, 'f32', limits(128 * MiB));
    expect(f32).toEqual(new Map([['model.embed_tokens.weight', [30388, 30387, 30387, 30387, 30387]]]));
    expect(
      checkBackendLimits(qwen, 'q8', limits(256 * MiB, 128 * MiB)).get('model.embed_tokens.weight'),
    ).toEqual([75968, 75968]);
    expect(checkBackendLimits(qwen, 'f32', limits(2 ** 30)).size).toBe(0); // SwiftShader's 1 GiB
    expect(checkBackendLimits(qwen, 'q8', limits(Infinity, Infinity)).size).toBe(0);
    // An untied head is split as the embedding is; the rows of a limit not a multiple of 16 stay inside it.
    const untied = parseConfig(tinyConfigJson({ tied: false, V: 1000, C: 32 }), 'untied');
    const split = checkBackendLimits(untied, 'f32', limits(42_767));
    expect(split.get('lm_head.weight')).toEqual([334, 333, 333]);
    expect(split.get('model.embed_tokens.weight')).toEqual([334, 333, 333]);
    expect(334 * 32 * 4).toBeLessThanOrEqual(42_767); // rows of 128 bytes within 42752
  });

  it('refuses what cannot be split, naming the tensor, its bytes, the limit and the precisions that fit', () => {
    // Qwen2.5-0.5B's MLP weights (4864, 896) are bound whole: 17 MB at f32, 8.7 MB at f16.
    expect(() => checkBackendLimits(qwen, 'f32', limits(8 * MiB))).toThrow(
      "load: model.layers.0.mlp.gate_proj.weight (4864, 896) needs a 17 MB buffer at f32, above this adapter's " +
        'maxStorageBufferBindingSize of 8 MiB (8388608 bytes); f16 (8.7 MB) would not fit either, ' +
        'q8 (4.4 MB) would, q4 (2.2 MB) would\nHINT: load it at q8',
    );
    expect(() => checkBackendLimits(qwen, 'q8', limits(8 * MiB, 4 * MiB))).toThrow(
      /needs a 4\.4 MB buffer at q8, above this adapter's maxBufferSize of 4 MiB .*; q4 \(2\.2 MB\) would$/m,
    );
    expect(() => checkBackendLimits(qwen, 'q4', limits(MiB))).toThrow(
      /needs a 2\.2 MB buffer at q4.*of 1 MiB \(1048576 bytes\)\nHINT: no precision fits/,
    );
  });

  it('refuses in uploadParams before anything is uploaded, as OOM; splits the tables it can', async () => {
    class SmallBackend extends CpuBackend {
      override readonly limits = limits(32 * 32 * 4 - 1); // a byte short of the f32 MLP weights (32, 32)
      uploads = 0;
      override upload(shape: readonly number[], host: HostData) {
        this.uploads++;
        return super.upload(shape, host);
      }
    }
    const b = new SmallBackend();
    const error = await tinyModel(b, { V: 64, C: 32, H: 32 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('OOM');
    expect((error as EngineError).message).toMatch(/\(32, 32\) needs a 4\.1 kB .*f16 \(2\.0 kB\) would,/);
    expect(b.uploads).toBe(0);
    // At f16 the (64, 32) embedding, 4 kB, goes into 2 blocks of 32 rows (4080 bytes hold 63).
    const model = await tinyModel(b, { V: 64, C: 32, H: 32 }, 'f16');
    expect(model.params.wte.map((t) => [t.dtype, ...t.shape])).toEqual([
      ['f16', 32, 32],
      ['f16', 32, 32],
    ]);
  });
});
