import { describe, expect, it } from 'vitest';
import { BASE_COUNTERFACTUAL, bundledSource, DEFAULT_SCOPE_MODEL, seracCompanionsFor } from './registry';

const HUB_BASE = { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M' } as const;

describe('seracCompanionsFor', () => {
  it('gives the bundled base model the bundled counterfactual and scope models, trained for it', () => {
    expect(seracCompanionsFor(bundledSource('editscope-facts'))).toEqual({
      scope: {
        kind: 'cross-encoder',
        source: bundledSource('editscope-scope'),
        reason: expect.stringMatching(/^trained with this base model/),
      },
      counterfactual: {
        kind: 'model',
        source: bundledSource('editscope-facts-counterfactual'),
        reason: expect.stringMatching(/^trained with this base model/),
      },
    });
  });

  it('gives any other base a hub sentence-embedding scope and itself with the edit in context', () => {
    for (const base of [
      HUB_BASE,
      { kind: 'local', base: '/elsewhere', repo: 'editscope-facts' } as const,
      bundledSource('editscope-facts-counterfactual'),
    ]) {
      const { scope, counterfactual } = seracCompanionsFor(base);
      expect(scope).toMatchObject({ kind: 'embedding', source: { kind: 'hub', repo: DEFAULT_SCOPE_MODEL } });
      expect(scope.reason).toMatch(/calibrated for this base model/);
      expect(counterfactual).toEqual({ kind: 'base', reason: expect.stringMatching(/edit in context/) });
    }
  });

  it("takes the user's picks for any base, the bundled one too", () => {
    for (const base of [HUB_BASE, bundledSource('editscope-facts')]) {
      const picked = seracCompanionsFor(base, {
        scopeModel: 'someone/embedder@v2',
        counterfactualModel: 'Qwen/Qwen2.5-0.5B-Instruct',
      });
      expect(picked.scope).toMatchObject({
        kind: 'embedding',
        source: { kind: 'hub', repo: 'someone/embedder', revision: 'v2' },
        reason: expect.stringMatching(/^you chose/),
      });
      expect(picked.counterfactual).toMatchObject({
        kind: 'model',
        source: { kind: 'hub', repo: 'Qwen/Qwen2.5-0.5B-Instruct' },
        reason: expect.stringMatching(/^you chose/),
      });
    }
    expect(() => seracCompanionsFor(HUB_BASE, { scopeModel: 'not a repo' })).toThrow(/neither a hub repo id/);
    // The base model itself, for the bundled base too.
    expect(
      seracCompanionsFor(bundledSource('editscope-facts'), { counterfactualModel: BASE_COUNTERFACTUAL })
        .counterfactual,
    ).toEqual({ kind: 'base', reason: 'you chose the base model itself, with the edit in context' });
  });
});
