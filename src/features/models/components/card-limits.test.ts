// cardRefusal on the hostile cards that took the app down (5,000 nested block quotes; nested lists) and
// on the real bundled cards; and the bound is safe: a card at the limit renders through react-markdown +
// remark-gfm (the card's own pipeline) without running out of stack, where the hostile one does not.
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { cardRefusal, lineDepth, MAX_CARD_CHARS, MAX_CARD_DEPTH } from './card-limits';

const render = (markdown: string) =>
  renderToString(createElement(Markdown, { remarkPlugins: [remarkGfm] }, markdown));

describe('lineDepth', () => {
  it('counts block quotes, bullets and ordered markers at the start, and indentation by two columns', () => {
    expect(lineDepth('plain text > not a quote')).toBe(0);
    expect(lineDepth('>>> deep')).toBe(3);
    expect(lineDepth('> - 1. item')).toBe(3);
    expect(lineDepth('    - nested by indentation')).toBe(3);
    expect(lineDepth('\t* tab counts four columns')).toBe(3);
    expect(lineDepth('-not a marker')).toBe(0);
    expect(lineDepth('2026. was a year')).toBe(1);
  });
});

describe('cardRefusal', () => {
  it('refuses 5,000 nested block quotes in 4.9 kB, which overflow the renderer', () => {
    const hostile = '>'.repeat(5000) + ' hi';
    expect(() => render(hostile)).toThrow(/call stack/);
    expect(cardRefusal(hostile)).toBe(
      'This model card is not shown: it nests block quotes or lists 5,000 levels deep, above the 32 this app renders.',
    );
  });

  it('refuses lists nested one marker per level and by indentation', () => {
    expect(cardRefusal('- '.repeat(40) + 'x')).toMatch(/40 levels deep/);
    const indented = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(cardRefusal(indented)).toMatch(/lists \d+ levels deep/);
  });

  it('refuses a card longer than the limit, whatever it holds', () => {
    expect(cardRefusal('a'.repeat(MAX_CARD_CHARS + 1))).toMatch(/200,001 characters long, above the 200,000/);
    expect(cardRefusal('a'.repeat(MAX_CARD_CHARS))).toBeNull();
  });

  it('renders a card at the depth limit, and passes the bundled models’ cards', () => {
    for (const unit of ['>', '> ', '- ', '1. ', '> - ']) {
      const atLimit = unit.repeat(MAX_CARD_DEPTH / unit.trim().split(' ').length) + 'deep';
      expect(cardRefusal(atLimit)).toBeNull();
      expect(render(atLimit)).toContain('deep');
    }
    for (const model of ['editscope-facts', 'editscope-facts-counterfactual', 'editscope-scope']) {
      expect(cardRefusal(readFileSync(`public/models/${model}/README.md`, 'utf8'))).toBeNull();
    }
  });
});
