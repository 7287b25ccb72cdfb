// Generation on a tiny random model: greedy equals step-by-step argmax, stops on EOS (not emitted),
// on maxNewTokens, and with CANCELLED on abort; sampling is reproducible per seed; the MEMOIR hook is
// consulted once per generation, on the prompt.
import { describe, expect, it } from 'vitest';
import '../cpu/backend';
import { createBackend } from '../backend';
import { tinyModel } from '../../../tests/helpers/tiny-model';
import { mulberry32 as seededRandom } from '../../lib/random';
import { argmax, generate, sampleToken, topTokens } from './generate';

const prompt = Int32Array.from([1, 5, 7]);

describe('generate on cpu', () => {
  it('greedy decoding equals argmax of a full forward at every step', async () => {
    const model = await tinyModel(await createBackend('cpu'));
    const { tokens, stopReason } = await generate(model, prompt, { maxNewTokens: 5, eosTokenIds: [] });
    expect(stopReason).toBe('max');
    expect(tokens).toHaveLength(5);
    const seq = [...prompt];
    for (const t of tokens) {
      expect(argmax(await model.forward(Int32Array.from(seq)))).toBe(t);
      seq.push(t);
    }
  });

  it('stops on EOS without emitting it', async () => {
    const model = await tinyModel(await createBackend('cpu'));
    const free = await generate(model, prompt, { maxNewTokens: 4, eosTokenIds: [] });
    const streamed: number[] = [];
    const res = await generate(model, prompt, {
      maxNewTokens: 4,
      eosTokenIds: [free.tokens[2]],
      onToken: (id) => streamed.push(id),
    });
    const firstEos = free.tokens.indexOf(free.tokens[2]);
    expect(res).toEqual({ tokens: free.tokens.slice(0, firstEos), stopReason: 'eos' });
    expect(streamed).toEqual(res.tokens);
  });

  it('abort during streaming throws CANCELLED after the tokens so far', async () => {
    const model = await tinyModel(await createBackend('cpu'));
    const ctrl = new AbortController();
    const streamed: number[] = [];
    const run = generate(model, prompt, {
      maxNewTokens: 10,
      eosTokenIds: [],
      signal: ctrl.signal,
      onToken: (id) => {
        streamed.push(id);
        if (streamed.length === 2) ctrl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(streamed).toHaveLength(2);
  });

  it('sampling is reproducible per seed and top-p keeps only the nucleus', async () => {
    const model = await tinyModel(await createBackend('cpu'));
    const opts = { maxNewTokens: 6, eosTokenIds: [], temperature: 1.5, topP: 0.9 };
    const a = await generate(model, prompt, { ...opts, seed: 7 });
    const b = await generate(model, prompt, { ...opts, seed: 7 });
    expect(a.tokens).toEqual(b.tokens);
    const logits = Float32Array.from([0, 10, 9.9, -5]); // p ≈ [0, .52, .48, 0]: top-p .5 keeps only id 1
    const random = seededRandom(1);
    for (let i = 0; i < 20; i++) expect(sampleToken(logits, random, { temperature: 1, topP: 0.5 })).toBe(1);
  });

  it('consults the memory hook once, on the prompt', async () => {
    const model = await tinyModel(await createBackend('cpu'));
    const seenT: number[] = [];
    await generate(model, prompt, {
      maxNewTokens: 3,
      eosTokenIds: [],
      memory: { layer: 1, select: (a) => (seenT.push(a.shape[0]), null) },
    });
    expect(seenT).toEqual([prompt.length]);
  });
});

describe('topTokens', () => {
  it('gives the k most likely tokens with their softmax probabilities, ties to the lower id', () => {
    const logits = Float32Array.from([1, 3, 3, 0, Math.log(2) + 1]);
    const z = Math.E + 2 * Math.E ** 3 + 1 + 2 * Math.E;
    const top = topTokens(logits, 3);
    expect(top.map((t) => t.id)).toEqual([1, 2, 4]);
    expect(top[0].p).toBeCloseTo(Math.E ** 3 / z, 6);
    expect(top[2].p).toBeCloseTo((2 * Math.E) / z, 6);
    expect(topTokens(logits, 5).reduce((s, t) => s + t.p, 0)).toBeCloseTo(1, 6);
  });
});
