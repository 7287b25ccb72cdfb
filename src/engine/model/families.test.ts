// Every family through the one transformer on the CPU reference: model-suite's familySuite on tiny
// random models (KV-cache decode = full forward, dWm vs finite differences through q/k norms, GeGLU and
// Gemma's post norms, edit loss = inference loss; webgpu runs it too). Gemma3: its hub fixtures
// (tests/fixtures/hub, transformers' float64 reference) agree on every position inside the sliding
// window, and a longer input is refused rather than computed with the wrong attention.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { EditPass } from './edit';
import { loadModel } from './load';
import { diskFetchFrom } from '../../../tests/helpers/disk-fetch';
import { expectClose } from '../../../tests/helpers/expect-close';
import { CPU_MODEL_TOLERANCES as tol, familySuite, gemma3Spec } from '../../../tests/helpers/model-suite';
import { tinyModel } from '../../../tests/helpers/tiny-model';

describe('families on cpu', () => familySuite(() => createBackend('cpu'), tol));

describe('gemma3_text context', () => {
  it('refuses input beyond the sliding window in forward, cache and edit, naming the window', async () => {
    const model = await tinyModel(await createBackend('cpu'), gemma3Spec(2, 4));
    const ids = Int32Array.from([1, 5, 7, 3, 11]);
    expect(model.config.maxPositions).toBe(4);
    const message = /5 tokens exceed the gemma3_text model's context of 4: its sliding window of 4 tokens/;
    await expect(model.forward(ids)).rejects.toThrow(message);
    const cache = model.newCache();
    expect(cache.maxT).toBe(4);
    await model.forward(ids.subarray(0, 4), { cache });
    await expect(model.forward(ids.subarray(4), { cache })).rejects.toThrow(/exceed/);
    cache.free();
    await expect(EditPass.prepare(model, ids, Int32Array.from([-1, -1, -1, -1, 2]), 0)).rejects.toThrow(
      message,
    );
    model.free();
  });

  const fixtures = join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures');
  it.each(['gemma3-text', 'gemma3-text-v5'])(
    '%s hub fixture: logits inside the sliding window match transformers',
    async (name) => {
      const ref = JSON.parse(readFileSync(join(fixtures, 'hub', name, 'reference.json'), 'utf8')) as {
        prompt_ids: number[];
        logits: number[][];
      };
      const model = await loadModel(
        await createBackend('cpu'),
        { kind: 'local', base: '/hub', repo: name },
        { fetch: diskFetchFrom(fixtures) },
      );
      const W = model.config.maxPositions; // the fixtures' windows (4, 3) are shorter than the prompt
      const logits = await model.forward(Int32Array.from(ref.prompt_ids.slice(0, W)), { allLogits: true });
      expectClose(logits, ref.logits.slice(0, W).flat(), { atol: 1e-4, rtol: 0, label: name });
      model.free();
    },
  );
});
