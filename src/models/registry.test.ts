import { describe, expect, it } from 'vitest';
import { bundledSource, seracCompanionsFor } from './registry';

describe('seracCompanionsFor', () => {
  it('names the bundled base model’s counterfactual and scope models', () => {
    expect(seracCompanionsFor(bundledSource('editscope-facts'))).toEqual({
      counterfactual: bundledSource('editscope-facts-counterfactual'),
      scope: bundledSource('editscope-scope'),
    });
  });

  it('has none for hub models or other local folders', () => {
    expect(seracCompanionsFor({ kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M' })).toBeNull();
    expect(seracCompanionsFor({ kind: 'local', base: '/elsewhere', repo: 'editscope-facts' })).toBeNull();
    expect(seracCompanionsFor(bundledSource('editscope-facts-counterfactual'))).toBeNull();
  });
});
