// Known models' sizes against hand-computed numbers (SmolLM2-135M), every known config parses, and
// the adapter check names the precisions a small binding limit refuses (the embedding is split, not refused).
import { describe, expect, it } from 'vitest';
import { KNOWN_MODELS } from '../../models/registry';
import { knownModelSizes } from './known-sizes';

const smol = KNOWN_MODELS.find((m) => m.repo === 'HuggingFaceTB/SmolLM2-135M')!;

describe('knownModelSizes', () => {
  it('SmolLM2-135M: parameters, bf16 download, f32 and f16 bytes by hand', () => {
    // embed 49152·576; per layer q,o 576·576, k,v (3·64)·576, gate/up/down 3·1536·576, 2 norms of 576
    const embed = 49152 * 576;
    const layer = 2 * 576 * 576 + 2 * 192 * 576 + 3 * 1536 * 576 + 2 * 576;
    const params = embed + 30 * layer + 576;
    expect(params).toBe(134_515_008); // the published count
    const norms = 30 * 2 * 576 + 576;
    const rope = (64 / 2) * 4; // one f32 table of HS/2
    const sizes = knownModelSizes(smol, null);
    expect(sizes.parameters).toBe(params);
    expect(sizes.downloadBytes).toBe(params * 2);
    const bytes = Object.fromEntries(sizes.fits.map((f) => [f.precision, f.bytes]));
    expect(bytes.f32).toBe(params * 4 + rope);
    expect(bytes.f16).toBe((params - norms) * 2 + norms * 4 + rope);
    expect(bytes.q8).toBeLessThan(bytes.f16);
    expect(bytes.q4).toBeLessThan(bytes.q8);
    expect(sizes.fits.every((f) => f.refusal === null)).toBe(true);
  });

  it('a 64 MiB binding takes the 113 MB f32 embedding split by rows; 2 MiB refuses the f32 MLP, takes f16', () => {
    const binding = (mib: number) => ({ maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: mib * 2 ** 20 });
    expect(knownModelSizes(smol, binding(64)).fits.map((f) => f.refusal)).toEqual([null, null, null, null]);
    const [f32, f16, q8, q4] = knownModelSizes(smol, binding(2)).fits;
    expect(f32.refusal).toMatch(
      /model\.layers\.0\.mlp\.gate_proj\.weight \(1536, 576\) needs a 3\.5 MB buffer at f32/,
    );
    expect([f16.refusal, q8.refusal, q4.refusal]).toEqual([null, null, null]);
  });

  it("Qwen3-0.6B's file also holds its tied head: 596,049,920 parameters, 751,632,384 stored", () => {
    const qwen3 = KNOWN_MODELS.find((m) => m.repo === 'Qwen/Qwen3-0.6B')!;
    // per layer: q (16·128)·1024, k and v (8·128)·1024, o 1024·(16·128), MLP 3·3072·1024, norms 2·1024
    // and q/k norms 2·128; embedding 151936·1024 and a final norm of 1024
    const layer = 2 * 2048 * 1024 + 2 * 1024 * 1024 + 3 * 3072 * 1024 + 2 * 1024 + 2 * 128;
    const params = 151936 * 1024 + 28 * layer + 1024;
    const { parameters, downloadBytes } = knownModelSizes(qwen3, null);
    expect(parameters).toBe(params);
    expect(downloadBytes).toBe((params + 151936 * 1024) * 2);
  });

  it('every known model parses and shrinks with its precision', () => {
    for (const m of KNOWN_MODELS) {
      const { fits, downloadBytes } = knownModelSizes(m, null);
      expect(downloadBytes, m.repo).toBeGreaterThan(1e8);
      expect(fits.map((f) => f.bytes)).toEqual([...fits.map((f) => f.bytes)].sort((a, b) => b - a));
    }
  });
});
