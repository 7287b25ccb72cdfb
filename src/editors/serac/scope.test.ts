// The scope classifier on the bundled editscope-scope ONNX model through onnxruntime-node: the pair
// format, in-scope vs out-of-scope scores on the model card's example, batched scores equal to
// one-at-a-time scores (padding must not change them), and readable load errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import type * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { publicDir } from '../../../tests/helpers/disk-fetch';
import { cardThreshold, editText, ScopeClassifier, type OrtApi } from './scope';

const dir = join(publicDir, 'models', 'editscope-scope');
const json = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const tokenizer = () => new PreTrainedTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));

const FRANCE = editText('The capital of France is', ' Rome');
const PARAPHRASE = 'The city that serves as the capital of France is';

describe('serac scope classifier (bundled editscope-scope)', () => {
  let scope: ScopeClassifier;
  beforeAll(async () => {
    scope = await ScopeClassifier.load(ortNode, readFileSync(join(dir, 'onnx', 'model.onnx')), tokenizer());
  });
  afterAll(() => scope.release());

  it('joins prompt and answer with exactly one space and encodes the model card format', () => {
    expect(FRANCE).toBe('The capital of France is Rome');
    expect(editText('The capital of France is ', 'Rome')).toBe(FRANCE);
    const tok = tokenizer();
    // The card's input with the tokenizer's own <s>: the pair encoding adds <s> and <sep> itself.
    const literal = tok.encode(`${FRANCE}<sep>${PARAPHRASE}`);
    expect(scope.pairIds(FRANCE, PARAPHRASE)).toEqual(literal);
    expect(literal.filter((id) => id === tok.bos_token_id)).toHaveLength(1);
    expect(literal[0]).toBe(tok.bos_token_id);
    expect(literal.filter((id) => id === 3)).toHaveLength(1); // <sep>
  });

  it("reads the threshold from the model's card, else SERAC's 0.5", () => {
    expect(cardThreshold(json('editscope.json'))).toBe(0.94); // chosen on the benchmark's dev split
    expect(cardThreshold({ threshold: 0.7 })).toBe(0.7);
    expect(cardThreshold({ threshold: '0.7' })).toBe(0.5);
    expect(cardThreshold(null)).toBe(0.5);
  });

  it('scores a paraphrase of the edited fact in scope', async () => {
    expect((await scope.scores([FRANCE], PARAPHRASE))[0]).toBeGreaterThanOrEqual(0.5);
  });

  it('scores another relation of the same subject out of scope', async () => {
    expect((await scope.scores([FRANCE], 'The currency of France is'))[0]).toBeLessThan(0.5);
  });

  it.each(['Japan', 'Germany', 'Spain', 'Peru'])(
    'scores the same relation of another country (%s) out of scope',
    async (country) => {
      // Frequent one-token countries in the edit's own template: the scope model before its same-template
      // negatives scored them 0.78 (Japan), 0.71 (Germany) and 0.86 (Spain) against this edit.
      expect((await scope.scores([FRANCE], `The capital of ${country} is`))[0]).toBeLessThan(0.5);
    },
  );

  it('scores general text out of scope', async () => {
    expect((await scope.scores([FRANCE], 'Call me Ishmael. Some years ago'))[0]).toBeLessThan(0.5);
  });

  it('gives the same scores batched (padded) as one pair at a time', async () => {
    const edits = [
      FRANCE,
      editText('The currency of Grenada is', ' Turkish Lira'),
      editText('The official language of the Federated States of Micronesia is', ' Portuguese'),
      editText('Peru is a country in', ' Europe'),
    ];
    const queries = [PARAPHRASE, 'The money used in Grenada is', 'In short, the capital city of Peru is'];
    for (const q of queries) {
      const lengths = new Set(edits.map((e) => scope.pairIds(e, q).length));
      expect(lengths.size).toBeGreaterThan(1); // otherwise nothing is padded and the test proves nothing
      const batched = await scope.scores(edits, q);
      for (const [i, e] of edits.entries()) {
        const [single] = await scope.scores([e], q);
        expect(Math.abs(batched[i] - single), `"${e}" vs "${q}"`).toBeLessThan(1e-5);
      }
    }
  });

  it('takes onnxruntime-web as well as onnxruntime-node (a type check: tsc fails otherwise)', () => {
    const web: OrtApi = null as unknown as typeof ortWeb;
    expect(web).toBeNull();
  });

  it('rejects a pair longer than the model takes, naming the lengths', async () => {
    const long = Array.from({ length: 150 }, () => 'word').join(' ');
    await expect(scope.scores([FRANCE, editText(long, ' Rome')], PARAPHRASE)).rejects.toThrow(
      /edit 1 with the query is \d+ tokens, the scope model takes at most 128/,
    );
  });

  it('scores no edits without running the model', async () => {
    expect(await scope.scores([], PARAPHRASE)).toEqual(new Float32Array(0));
  });

  it('rejects a file that is not an ONNX model with a LOAD error naming it', async () => {
    const bad = ScopeClassifier.load(ortNode, new TextEncoder().encode('not onnx'), tokenizer(), 'bad.onnx');
    await expect(bad).rejects.toThrow(EngineError);
    await expect(bad).rejects.toThrow(/serac scope: onnxruntime could not load bad\.onnx/);
  });

  it('rejects a model without the expected inputs and outputs', async () => {
    // The base decoder's ONNX takes past key/values and gives present.*: not a scope classifier.
    const decoder = readFileSync(join(publicDir, 'models', 'editscope-facts', 'onnx', 'model.onnx'));
    const wrong = ScopeClassifier.load(ortNode, decoder, tokenizer(), 'editscope-facts');
    await expect(wrong).rejects.toThrow(
      /expected exactly the inputs input_ids, attention_mask and an output logits/,
    );
  });

  it('rejects logits that are not (B, 2) with a LOAD error', async () => {
    const threeClass: OrtApi = {
      InferenceSession: {
        create: async () => ({
          inputNames: ['input_ids', 'attention_mask'],
          outputNames: ['logits'],
          run: async (feeds) => {
            const B = feeds.input_ids.dims[0];
            return { logits: { type: 'float32', dims: [B, 3], data: new Float32Array(B * 3) } };
          },
          release: async () => {},
        }),
      },
      Tensor: ortNode.Tensor,
    };
    const fake = await ScopeClassifier.load(threeClass, new Uint8Array(0), tokenizer(), 'three-class');
    await expect(fake.scores([FRANCE], PARAPHRASE)).rejects.toThrow(
      /logits must be float32 \(B, 2\)=\(1, 2\), got float32 \(1, 3\)/,
    );
  });
});
