// Row blocks: how a table is cut under a limit, the host slices at every dtype, ids outside the
// vocabulary refused by the model, and the whole-model suite (tests/helpers/split-suite.ts) on the CPU
// backend with injected limits: a split model's logits, tokens and edit gradient against the same
// model loaded whole.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu/backend';
import { decodeWeight, encodeWeight, type WeightPrecision } from '../quantize';
import { splitSuite } from '../../../tests/helpers/split-suite';
import { randn } from '../../../tests/helpers/random';
import { tinyModel } from '../../../tests/helpers/tiny-model';
import { EditPass } from './edit';
import { rowBlocks, sliceRows } from './row-blocks';

describe('rowBlocks', () => {
  it('cuts as few blocks as fit, sizes within one row of each other; null when a row does not fit', () => {
    expect(rowBlocks(10, 4, 'f32', 160)).toEqual([10]); // 16 bytes a row: whole
    expect(rowBlocks(10, 4, 'f32', 159)).toEqual([5, 5]);
    expect(rowBlocks(10, 4, 'f32', 48)).toEqual([3, 3, 2, 2]); // 3 rows a buffer
    expect(rowBlocks(10, 4, 'f32', 15)).toBeNull();
    // q8: a row of 64 values is 64 bytes, its 2 scales 8; q4: 32 bytes.
    expect(rowBlocks(5, 64, 'q8', 128)).toEqual([2, 2, 1]);
    expect(rowBlocks(5, 64, 'q4', 128)).toEqual([3, 2]);
    expect(rowBlocks(151936, 896, 'f32', 128 * 2 ** 20)).toHaveLength(5); // Qwen2.5-0.5B's table
  });
});

describe('sliceRows', () => {
  it.each(['f32', 'f16', 'q8', 'q4'] as WeightPrecision[])(
    '%s: rows 2..4 decode as the table’s rows',
    (p) => {
      const [V, C] = [6, 64];
      const table = encodeWeight(randn(V * C, 1), V, C, p);
      const rows = decodeWeight(sliceRows(table, C, 2, 3), 3, C);
      expect(rows).toEqual(decodeWeight(table, V, C).subarray(2 * C, 5 * C));
    },
  );
});

describe('token ids', () => {
  it('outside the vocabulary are refused by the model (a gather would leave their rows as they were)', async () => {
    const model = await tinyModel(new CpuBackend(), { V: 24 });
    await expect(model.forward(Int32Array.of(1, 24))).rejects.toThrow(
      "forward: ids[1]=24 outside the llama model's vocabulary [0, 24)",
    );
    await expect(model.activations(Int32Array.of(-1), 0)).rejects.toThrow(/ids\[0\]=-1 outside/);
    const prepare = EditPass.prepare(model, Int32Array.of(1, 30), Int32Array.of(-1, 2), 0);
    await expect(prepare).rejects.toThrow(/EditPass\.prepare: ids\[1\]=30 outside/);
    model.free();
  });
});

describe('a model with its tables in row blocks on the cpu', () =>
  splitSuite(async () => new CpuBackend(), { logits: 0, grad: { atol: 1e-7, rtol: 1e-5 } }));
