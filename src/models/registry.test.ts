import { describe, expect, it } from 'vitest';
import { bundledSource, seracCompanionsFor } from './registry';

const companions = {
  counterfactual: bundledSource('editscope-facts-counterfactual'),
  scope: bundledSource('editscope-scope'),
};

describe('seracCompanionsFor', () => {
  it('names the bundled counterfactual and scope models, trained for the bundled base model', () => {
    expect(seracCompanionsFor(bundledSource('editscope-facts'))).toEqual({
      ...companions,
      trainedForBase: true,
    });
  });

  it('lends them to hub models and other folders, saying they were not trained for them', () => {
    for (const base of [
      { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M' } as const,
      { kind: 'local', base: '/elsewhere', repo: 'editscope-facts' } as const,
      bundledSource('editscope-facts-counterfactual'),
    ]) {
      expect(seracCompanionsFor(base)).toEqual({ ...companions, trainedForBase: false });
    }
  });
});
