// Autoregressive generation: one prefill over the prompt, then one decode step per token with the KV
// cache; greedy or temperature + top-p sampling from a seeded RNG; stops on EOS or maxNewTokens and
// throws CANCELLED when the AbortSignal fires. MEMOIR's hook runs once, on the prompt, and its choice
// is reused for every generated token (as the paper does). Not a tokenizer: ids in, ids out.

import { mulberry32 } from '../../lib/random';
import { EngineError, throwIfAborted } from '../errors';
import type { MemoryHook, MemoryResidual, Transformer } from './transformer';

export interface SamplingOptions {
  /** 0 (default) = greedy argmax. */
  temperature?: number;
  /** Nucleus sampling: keep the most likely tokens whose mass reaches topP (default 1 = all). */
  topP?: number;
  /** Seed of the sampling RNG; the same seed, prompt and model give the same tokens. */
  seed?: number;
}

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Stop tokens; default the model's eos ids. The stop token is not emitted. */
  eosTokenIds?: readonly number[];
  onToken?: (id: number, index: number) => void;
  signal?: AbortSignal;
  memory?: MemoryHook | null;
}

export interface GenerateResult {
  tokens: number[];
  stopReason: 'eos' | 'max';
}

/** Index of the largest logit; the first one on ties. logits (V). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** exp((logit − max) / temperature) per token, unnormalised (float64), and their sum. */
function softmaxWeights(logits: Float32Array, temperature: number): { probs: Float64Array; sum: number } {
  const max = logits[argmax(logits)];
  const probs = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    probs[i] = Math.exp((logits[i] - max) / temperature);
    sum += probs[i];
  }
  return { probs, sum };
}

/** The k most likely tokens of logits (V) with their probabilities (softmax at temperature 1), most
 *  likely first; ties go to the lower id. */
export function topTokens(logits: Float32Array, k: number): { id: number; p: number }[] {
  const { probs, sum } = softmaxWeights(logits, 1);
  return Array.from(probs.keys())
    .sort((a, b) => probs[b] - probs[a] || a - b)
    .slice(0, k)
    .map((id) => ({ id, p: probs[id] / sum }));
}

/** Draws a token from logits (V) with temperature and top-p; temperature 0 is argmax. */
export function sampleToken(logits: Float32Array, random: () => number, opts: SamplingOptions = {}): number {
  const temperature = opts.temperature ?? 0;
  const topP = opts.topP ?? 1;
  if (temperature <= 0) return argmax(logits);
  const { probs, sum } = softmaxWeights(logits, temperature);
  // Sort only when truncating: most likely first, keep until the kept mass reaches topP.
  let order: number[];
  let kept = sum;
  if (topP < 1) {
    order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
    let mass = 0;
    let n = 0;
    while (n < order.length && mass < topP * sum) mass += probs[order[n++]];
    order = order.slice(0, n);
    kept = mass;
  } else {
    order = Array.from(probs.keys());
  }
  let r = random() * kept;
  for (const i of order) {
    r -= probs[i];
    if (r < 0) return i;
  }
  return order[order.length - 1]; // r landed on the rounding slack at the very end
}

export async function generate(
  model: Transformer,
  prompt: Int32Array,
  opts: GenerateOptions,
): Promise<GenerateResult> {
  const eos = new Set(opts.eosTokenIds ?? model.config.eosTokenIds);
  const random = mulberry32(opts.seed ?? 0);
  const maxPositions = model.config.maxPositions;
  if (prompt.length === 0 || prompt.length >= maxPositions) {
    throw new EngineError(
      'SHAPE',
      `generate: prompt has ${prompt.length} tokens, the model takes 1 to ${maxPositions - 1}`,
      prompt.length ? 'shorten the prompt' : undefined,
    );
  }
  const cache = model.newCache(Math.min(prompt.length + opts.maxNewTokens, maxPositions));
  const memory = opts.memory ?? null;
  let chosen: MemoryResidual | null = null;
  const prefillHook: MemoryHook | null = memory && {
    layer: memory.layer,
    select: async (a) => (chosen = await memory.select(a)),
  };
  const decodeHook: MemoryHook | null = memory && { layer: memory.layer, select: () => chosen };

  const tokens: number[] = [];
  try {
    throwIfAborted(opts.signal, 'generate');
    let logits = await model.forward(prompt, { cache, memory: prefillHook });
    while (tokens.length < opts.maxNewTokens) {
      throwIfAborted(opts.signal, 'generate');
      const id = sampleToken(logits, random, opts);
      if (eos.has(id)) return { tokens, stopReason: 'eos' };
      tokens.push(id);
      opts.onToken?.(id, tokens.length - 1);
      if (tokens.length === opts.maxNewTokens || cache.length === cache.maxT) break;
      logits = await model.forward(Int32Array.of(id), { cache, memory: decodeHook });
    }
    return { tokens, stopReason: 'max' };
  } finally {
    cache.free();
  }
}
