import { describe, expect, it } from 'vitest';
import { cardBody, cardUrl } from './card';
import type { ModelSource } from './hub';

const bundled: ModelSource = { kind: 'local', base: '/models', repo: 'editscope-facts' };
const hub: ModelSource = { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M' };

describe('cardBody', () => {
  it('drops the front matter the hub reads and keeps the rest as written', () => {
    const card = '---\nlicense: other\ntags: [llama]\n---\n\n# editscope-facts\n\n---\nA rule.\n';
    expect(cardBody(card)).toBe('\n# editscope-facts\n\n---\nA rule.\n');
  });

  it('leaves a card without front matter alone', () => {
    expect(cardBody('# A model\n---\n')).toBe('# A model\n---\n');
  });
});

describe('cardUrl', () => {
  it("resolves a relative link or image in the model's own repo", () => {
    expect(cardUrl('memoir-overlap.svg', bundled)).toBe('/models/editscope-facts/memoir-overlap.svg');
    expect(cardUrl('./figures/a.png', hub)).toBe(
      'https://huggingface.co/HuggingFaceTB/SmolLM2-135M/resolve/main/figures/a.png',
    );
  });

  it('keeps absolute URLs, root paths and fragments', () => {
    for (const url of ['https://arxiv.org/abs/2506.07899', '/about', '#measured', 'mailto:a@b.c']) {
      expect(cardUrl(url, bundled)).toBe(url);
    }
  });
});
