// EmbeddingScope when transformers.js is handed an onnxruntime through the `Symbol.for('onnxruntime')`
// global, as the app's worker does (src/worker/transformers-ort.ts, with onnxruntime-web's wasm build):
// here onnxruntime-node stands in for it. transformers.js then knows no device of its own and refuses its
// default one; the scope must still load the fixture and score. The global is set before transformers.js
// is first imported (dynamic imports below), in this file's own process.
import * as ortNode from 'onnxruntime-node';
import { afterAll, expect, it } from 'vitest';
import { SENTENCE_EMBEDDING_FIXTURE } from '../../../tests/helpers/sentence-embedding';

const ORT = Symbol.for('onnxruntime');
afterAll(() => delete (globalThis as Record<symbol, unknown>)[ORT]);

it('loads and scores on an onnxruntime handed to transformers.js', async () => {
  (globalThis as Record<symbol, unknown>)[ORT] = ortNode;
  const { EmbeddingScope } = await import('./embedding-scope');
  const scope = await EmbeddingScope.load(SENTENCE_EMBEDDING_FIXTURE);
  try {
    const [self, other] = await scope.scores(
      ['The capital of France is Rome', 'A bird sang'],
      'The capital of France is Rome',
    );
    expect(self).toBeCloseTo(1, 5);
    expect(other).toBeLessThan(1);
  } finally {
    await scope.release();
  }
});
