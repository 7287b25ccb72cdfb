// SeracEditor on the CPU backend with the bundled models (editscope-facts as base, its counterfactual,
// editscope-scope through onnxruntime-node): an edit reaches a held-out paraphrase, an unrelated
// country keeps the base answer, deletion restores the base answer; plus validation, replacement and
// the per-revision score cache.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../engine/cpu/backend';
import { createBackend } from '../../engine/backend';
import { loadModel } from '../../models/load';
import { parseModelRef } from '../../models/hub';
import { diskFetch, publicDir } from '../../../tests/helpers/disk-fetch';
import { codecFromTokenizer } from '../../models/codec';
import { measureGateSweep } from '../../eval/gate-sweep';
import type { BenchRecord } from '../../eval/records';
import { measureRecords, runSequentialEval } from '../../eval/runner';
import {
  counterfactualFor,
  counterfactualInput,
  inContextCounterfactual,
  inContextInput,
  trainedCounterfactual,
  type Counterfactual,
} from './counterfactual';
import { SeracEditor, type SeracLm } from './editor';
import { editText, ScopeClassifier } from './scope';
import { generate } from '../../engine/model/generate';

const modelDir = (name: string) => join(publicDir, 'models', name);
const tokenizer = (name: string) => {
  const json = (file: string) => JSON.parse(readFileSync(join(modelDir(name), file), 'utf8'));
  return new PreTrainedTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
};

const FRANCE = { id: 'france', prompt: 'The capital of France is', target: ' Rome' };
const HELD_OUT = 'The city that serves as the capital of France is'; // a template no model trained on
const PERU = 'The capital of Peru is';

describe('SeracEditor (bundled models, CPU backend)', () => {
  let base: SeracLm;
  let cfLm: SeracLm;
  /** The bundled counterfactual in the form its card names ("<edit><sep><query>"). */
  let counterfactual: Counterfactual;
  let scope: ScopeClassifier;
  const decode = (lm: SeracLm, ids: Int32Array) => lm.codec.decode(ids);

  beforeAll(async () => {
    const backend = await createBackend('cpu');
    const lm = async (name: string): Promise<SeracLm> => ({
      transformer: await loadModel(backend, parseModelRef(`/models/${name}`), { fetch: diskFetch }),
      codec: codecFromTokenizer(tokenizer(name)),
    });
    base = await lm('editscope-facts');
    cfLm = await lm('editscope-facts-counterfactual');
    const card = JSON.parse(
      readFileSync(join(modelDir('editscope-facts-counterfactual'), 'editscope.json'), 'utf8'),
    );
    counterfactual = counterfactualFor(cfLm, tokenizer('editscope-facts-counterfactual'), card);
    const onnx = readFileSync(join(modelDir('editscope-scope'), 'onnx', 'model.onnx'));
    scope = await ScopeClassifier.load(ort, onnx, tokenizer('editscope-scope'));
  });
  afterAll(async () => {
    base.transformer.free();
    cfLm.transformer.free();
    await scope.release();
  });

  /** The base model's greedy answer, from an editor with no edits (the frozen base answers everything). */
  const baseAnswer = async (prompt: string) =>
    decode(base, await new SeracEditor(base, counterfactual, scope).greedy(prompt, 4));

  it('answers a held-out paraphrase of the edited fact from the edit', async () => {
    const editor = new SeracEditor(base, counterfactual, scope);
    expect((await baseAnswer(HELD_OUT)).startsWith(' Rome')).toBe(false); // the edit has something to change
    const outcome = await editor.applyEdit(FRANCE);
    expect(outcome).toMatchObject({ id: 'france', steps: 0 });
    const probe = await editor.probe(HELD_OUT);
    expect(probe.routed).toBe('france');
    expect(probe.best?.editId).toBe('france');
    expect(probe.best!.score).toBeGreaterThanOrEqual(0.5);
    expect(decode(cfLm, await editor.greedy(HELD_OUT, 4))).toBe(' Rome');
    const answer = await editor.answer(HELD_OUT, 4);
    expect(answer.text).toBe(' Rome');
    expect(answer.probe.routed).toBe('france');
    const tf = await editor.teacherForced(HELD_OUT, ' Rome');
    expect(Array.from(tf.predicted)).toEqual(Array.from(tf.target));
  });

  it.each([
    ['another relation of the edited subject', 'The currency of France is', ' Euro'],
    ['the same relation of another country', PERU, ' Lima'],
  ])('leaves %s to the base model', async (_, query, baseStart) => {
    const expected = await baseAnswer(query);
    expect(expected.startsWith(baseStart)).toBe(true);
    const editor = new SeracEditor(base, counterfactual, scope);
    await editor.applyEdit(FRANCE);
    const probe = await editor.probe(query);
    expect(probe.routed).toBeNull();
    // The top-1 is still named, with its score below the threshold.
    expect(probe.best?.editId).toBe('france');
    expect(probe.best!.score).toBeLessThan(0.5);
    expect(decode(base, await editor.greedy(query, 4))).toBe(expected);
    expect(await editor.answer(query, 4)).toMatchObject({ text: expected, probe: { routed: null } });
  });

  it('gives the base answer again after the edit is deleted, and the other edit still holds', async () => {
    const expected = await baseAnswer(FRANCE.prompt);
    expect(expected.startsWith(' Paris')).toBe(true);
    const editor = new SeracEditor(base, counterfactual, scope);
    await editor.applyEdit(FRANCE);
    await editor.applyEdit({ id: 'peru', prompt: PERU, target: ' Oslo' });
    expect(decode(cfLm, await editor.greedy(FRANCE.prompt, 4))).toBe(' Rome');
    editor.delete('france');
    const probe = await editor.probe(FRANCE.prompt);
    expect(probe.routed).toBeNull();
    expect([...probe.scores.keys()]).toEqual(['peru']);
    expect(decode(base, await editor.greedy(FRANCE.prompt, 4))).toBe(expected);
    // The other edit still holds.
    expect(decode(cfLm, await editor.greedy(PERU, 4))).toBe(' Oslo');
    expect(() => editor.delete('france')).toThrow(/serac: no edit with id "france"/);
  });

  it('scores a query once per memory revision, and again after the memory changes', async () => {
    let calls = 0;
    const counting = Object.assign(Object.create(scope) as ScopeClassifier, {
      scores: (edits: readonly string[], query: string) => {
        calls++;
        return scope.scores(edits, query);
      },
    });
    const editor = new SeracEditor(base, counterfactual, counting);
    await editor.applyEdit(FRANCE);
    const first = await editor.probe(HELD_OUT);
    await editor.answer(PERU, 2);
    expect(await editor.probe(HELD_OUT)).toEqual(first);
    await editor.teacherForced(HELD_OUT, ' Rome');
    expect(calls).toBe(2);
    await editor.applyEdit({ id: 'peru', prompt: PERU, target: ' Oslo' });
    expect([...(await editor.probe(HELD_OUT)).scores.keys()]).toEqual(['france', 'peru']);
    expect(calls).toBe(3);
    editor.delete('peru');
    expect(await editor.probe(HELD_OUT)).toEqual(first);
    expect(calls).toBe(4);
  });

  it('re-measured along its threshold equals a fresh measurement at each threshold', async () => {
    const editor = new SeracEditor(base, counterfactual, scope);
    const records: BenchRecord[] = [
      {
        id: 'france',
        subject: 'France',
        prompt: FRANCE.prompt,
        target_true: ' Paris',
        target_new: FRANCE.target,
        rephrases: [HELD_OUT],
        locality: [{ prompt: PERU, answer: ' Lima' }],
      },
    ];
    const run = await runSequentialEval(editor, records, { T: 1 });
    const thresholds = [0, 0.5, 1];
    const swept = await measureGateSweep(editor, thresholds, run.measured, run.baselines);
    for (const [i, threshold] of thresholds.entries()) {
      expect(swept[i].gate).toBe(threshold);
      expect(swept[i].perRecord).toEqual(
        await measureRecords(editor.withGate(threshold), run.measured, run.baselines),
      );
    }
    // At 0 Peru goes to the counterfactual model too, at 1 even the edit prompt stays with the base.
    expect(await editor.withGate(0).routeOf(PERU)).toBe('france');
    expect(await editor.withGate(1).routeOf(FRANCE.prompt)).toBeNull();
    expect(swept[1].perRecord).toEqual(run.perRecord);
  });

  it('replaces an edit stored under the same id', async () => {
    const editor = new SeracEditor(base, counterfactual, scope);
    await editor.applyEdit(FRANCE);
    await editor.applyEdit({ ...FRANCE, target: ' Madrid' });
    expect(editor.size).toBe(1);
    expect(decode(cfLm, await editor.greedy(HELD_OUT, 4))).toBe(' Madrid');
  });

  it('rejects an edit with an empty prompt or target', async () => {
    const editor = new SeracEditor(base, counterfactual, scope);
    await expect(editor.applyEdit({ ...FRANCE, target: '  ' })).rejects.toThrow(
      /edit "france" has an empty target/,
    );
    await expect(editor.applyEdit({ ...FRANCE, prompt: '' })).rejects.toThrow(
      /edit "france" has an empty prompt/,
    );
    expect(editor.size).toBe(0);
  });

  it('refuses a threshold that no scope score can be compared with', () => {
    for (const threshold of [-0.1, 1.5, NaN]) {
      expect(() => new SeracEditor(base, counterfactual, scope, { threshold })).toThrow(
        /serac: threshold must be a number in \[0, 1\]/,
      );
    }
    expect(new SeracEditor(base, counterfactual, scope, { threshold: 1 }).threshold).toBe(1);
  });

  it('reads the separator from the counterfactual card, and refuses a tokenizer that splits one', () => {
    expect(counterfactual.format).toEqual({ kind: 'trained', separator: '<sep>' });
    expect(() => trainedCounterfactual(cfLm, '[SEP]')).toThrow(
      /encodes "\[SEP\]" as \d+ tokens, expected 1 special token/,
    );
  });

  /** The base model's greedy answer to exactly `text` (special tokens added), as the editor generates. */
  const greedyOn = async (text: string) =>
    decode(
      base,
      Int32Array.from(
        (await generate(base.transformer, base.codec.encode(text, true), { maxNewTokens: 4 })).tokens,
      ),
    );

  // The toy base (4 layers, trained only on stating facts) does not copy the edit from its context:
  // "New fact: The capital of France is Rome.\nThe city that serves as the capital of France is" gives
  // " Paris." as the query alone does. So these tests check the path a hub model takes (the routed query
  // reaches the base model in the template, the rest the base model alone), not that the answer changes.
  it('in context: a routed query reaches the base model itself inside the template', async () => {
    const editor = new SeracEditor(base, inContextCounterfactual(base), scope);
    await editor.applyEdit(FRANCE);
    const inContext = inContextInput(editText(FRANCE.prompt, FRANCE.target), HELD_OUT);
    expect(inContext).toBe(`New fact: The capital of France is Rome.\n${HELD_OUT}`);
    const answer = await editor.answer(HELD_OUT, 4);
    expect(answer.probe.routed).toBe('france');
    expect(answer.text).toBe(await greedyOn(inContext));
    expect(answer.text).toBe(' Paris.'); // what the toy base answers, edit in context or not
    const unrelated = await editor.answer(PERU, 4);
    expect(unrelated).toMatchObject({ text: await greedyOn(PERU), probe: { routed: null } });
  });

  it("in a chat template: the fact and query as a user turn, the answer continued in the assistant's", async () => {
    const chatTokenizer = new PreTrainedTokenizer(
      JSON.parse(readFileSync(join(modelDir('editscope-facts'), 'tokenizer.json'), 'utf8')),
      {
        ...JSON.parse(readFileSync(join(modelDir('editscope-facts'), 'tokenizer_config.json'), 'utf8')),
        chat_template:
          "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}" +
          '{% if add_generation_prompt %}<|assistant|>{% endif %}',
      },
    );
    const chat = counterfactualFor(base, chatTokenizer, null);
    expect(chat.format.kind).toBe('chat');
    expect(counterfactualFor(base, tokenizer('editscope-facts'), null).format.kind).toBe('in-context');
    const edit = editText(FRANCE.prompt, FRANCE.target);
    const input = counterfactualInput(chat.format, edit, HELD_OUT);
    expect(input).toBe(
      '<|user|>New fact: The capital of France is Rome.\nUsing this fact, complete the sentence: ' +
        `${HELD_OUT}</s><|assistant|>${HELD_OUT}`,
    );
    const editor = new SeracEditor(base, chat, scope);
    await editor.applyEdit(FRANCE);
    expect((await editor.answer(HELD_OUT, 4)).text).toBe(await greedyOn(input));
    // Teacher forcing scores " Rome" right after the query inside the assistant's turn.
    const tf = await editor.teacherForced(HELD_OUT, ' Rome');
    expect(Array.from(tf.target)).toEqual(Array.from(base.codec.encode(' Rome', false)));
    const logits = await base.transformer.forward(base.codec.encode(input, true), { allLogits: true });
    const V = base.transformer.config.vocabSize;
    const last = logits.subarray(logits.length - V);
    expect(tf.predicted[0]).toBe(last.indexOf(Math.max(...last)));
  });
});
