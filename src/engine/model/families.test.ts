// Every family through the one transformer on the CPU reference: model-suite's familySuite on tiny
// random models (KV-cache decode = full forward, dWm vs finite differences through q/k norms, GeGLU,
// Gemma's post norms and sliding attention, edit loss = inference loss; webgpu runs it too). Gemma3's
// window masks exactly the keys it should and the context is max_position_embeddings, not the window;
// exactness against transformers is tests/fidelity (gemma3-text-window: window 4, 13 tokens).
import { describe, expect, it } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { EditPass } from './edit';
import { CPU_MODEL_TOLERANCES as tol, familySuite, gemma3Spec } from '../../../tests/helpers/model-suite';
import { tinyModel } from '../../../tests/helpers/tiny-model';

describe('families on cpu', () => familySuite(() => createBackend('cpu'), tol));

describe('gemma3_text sliding window', () => {
  const ids = Int32Array.from([1, 5, 7, 3, 11, 4, 9]);

  it('masks keys older than the window: logits equal a wide window inside it and differ after', async () => {
    const b = await createBackend('cpu');
    const [narrow, wide] = [await tinyModel(b, gemma3Spec(2, 4)), await tinyModel(b, gemma3Spec(2, 64))];
    const V = narrow.config.vocabSize;
    const [a, w] = [
      await narrow.forward(ids, { allLogits: true }),
      await wide.forward(ids, { allLogits: true }),
    ];
    expect(a.subarray(0, 4 * V)).toEqual(w.subarray(0, 4 * V)); // positions 0..3 see every key either way
    for (let t = 4; t < ids.length; t++) {
      const diff = Math.max(...a.subarray(t * V, (t + 1) * V).map((x, i) => Math.abs(x - w[t * V + i])));
      expect(diff, `position ${t}`).toBeGreaterThan(1e-3);
    }
    narrow.free();
    wide.free();
  });

  it('runs past the window up to max_position_embeddings and refuses beyond it', async () => {
    const model = await tinyModel(await createBackend('cpu'), gemma3Spec(2, 4));
    expect(model.config.maxPositions).toBe(64);
    const long = Int32Array.from({ length: 65 }, (_, t) => 3 + (t % 20));
    const message = /65 tokens exceed the gemma3_text model's context of 64 \(max_position_embeddings\)/;
    await expect(model.forward(long)).rejects.toThrow(message);
    const targets = Int32Array.from(long, (_, t) => (t === 64 ? 2 : -1));
    await expect(EditPass.prepare(model, long, targets, 0)).rejects.toThrow(message);
    expect((await model.forward(long.subarray(0, 64))).length).toBe(model.config.vocabSize);
    model.free();
  });
});
