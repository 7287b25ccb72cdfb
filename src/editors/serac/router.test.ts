// SERAC's top-1 routing rule: best score, threshold boundary, ties, empty memory, broken scores.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors';
import { route, top1 } from './router';

describe('serac router', () => {
  it('routes to the highest score when it reaches the threshold', () => {
    expect(route([0.2, 0.9, 0.6], 0.5)).toEqual({ index: 1, score: 0.9 });
    expect(route(Float32Array.of(0.1, 0.3, 0.7), 0.5)).toEqual({ index: 2, score: Float32Array.of(0.7)[0] });
  });

  it('is in scope at exactly the threshold and out of scope just below it', () => {
    expect(route([0.5], 0.5)).toEqual({ index: 0, score: 0.5 });
    expect(route([0.4999], 0.5)).toBeNull();
  });

  it('answers with the base model when no edit reaches the threshold', () => {
    expect(route([0.1, 0.49, 0.3], 0.5)).toBeNull();
    expect(top1([0.1, 0.49, 0.3])).toEqual({ index: 1, score: 0.49 });
  });

  it('breaks ties by the earlier edit', () => {
    expect(route([0.3, 0.8, 0.2, 0.8, 0.8], 0.5)).toEqual({ index: 1, score: 0.8 });
  });

  it('routes nowhere with no stored edits', () => {
    expect(top1([])).toBeNull();
    expect(route([], 0.5)).toBeNull();
  });

  it('rejects NaN and infinite scores with the offending index', () => {
    expect(() => route([0.2, NaN], 0.5)).toThrow(EngineError);
    expect(() => route([0.2, NaN], 0.5)).toThrow(/score 1 is NaN/);
    expect(() => top1([Infinity])).toThrow(/score 0 is Infinity/);
  });
});
