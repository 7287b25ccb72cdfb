// The System view's self-test must pass on a correct backend and fail on a wrong one.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from './backend';
import './cpu/backend';
import { runMatmulSelfTest, selfTestInputs } from './selftest';

const dims = { m: 5, k: 7, n: 3, seed: 11 };

describe('runMatmulSelfTest', () => {
  it('passes when the tested backend agrees with the reference, with the checksum of the inputs', async () => {
    const cpu = await createBackend('cpu');
    const report = await runMatmulSelfTest(cpu, await createBackend('cpu'), dims);
    const { inp, weight } = selfTestInputs(dims);
    let expected = 0;
    for (let i = 0; i < dims.m; i++)
      for (let j = 0; j < dims.n; j++)
        for (let c = 0; c < dims.k; c++) expected += inp[i * dims.k + c] * weight[j * dims.k + c];
    expect(report.passed).toBe(true);
    expect(report.maxAbsDiff).toBe(0);
    expect(report.checksum).toBeCloseTo(expected, 4);
  });

  it('fails when the tested backend computes something else', async () => {
    const cpu = await createBackend('cpu');
    const broken: Backend = Object.assign(Object.create(cpu) as Backend, {
      download: async (t: Parameters<Backend['download']>[0]) => (await cpu.download(t)).map((v) => v + 1e-3),
    });
    const report = await runMatmulSelfTest(broken, await createBackend('cpu'), dims);
    expect(report.passed).toBe(false);
    expect(report.maxAbsDiff).toBeCloseTo(1e-3, 6);
  });
});
