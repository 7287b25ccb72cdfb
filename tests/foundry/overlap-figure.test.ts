import { describe, expect, it } from 'vitest';
// @ts-expect-error the foundry's Node scripts are plain .mjs without type declarations
import { overlapFigureSvg } from '../../tools/foundry/overlap-figure.mjs';

const bins = (hot: number) => Array.from({ length: 20 }, (_, i) => (i === hot ? 30 : i === hot + 1 ? 10 : 0));
const row = {
  layer: 2,
  k: 256,
  pooling: 'last',
  normalize: 'zscore',
  randomFloor: 0.125,
  histograms: { bins: 20, rephraseOwn: bins(13), localityBest: bins(6), neighborhoodBest: bins(8) },
};

describe('MEMOIR overlap figure', () => {
  const svg: string = overlapFigureSvg(row, 0.5, 100);

  it('draws the three distributions, τ and the random floor where they lie on the axis', () => {
    expect(svg.match(/<path /g)).toHaveLength(3);
    // plot spans x 52..624: τ 0.5 at 338, k/H 0.125 at 123.5
    expect(svg).toContain('<line x1="338.0" y1="40" x2="338.0"');
    expect(svg).toContain('<line x1="123.5" y1="40" x2="123.5"');
    expect(svg).toContain('τ = 0.5');
    expect(svg).toContain('Mask overlap with 100 stored edits — layer 2, k = 256');
  });

  it('scales each series to its share of prompts (75% in the tallest bin)', () => {
    // yMax rounds 0.75 up to 0.8; the rephrase bin 13 (x 423.8..452.4) sits at 0.75 of it
    const top = 40 + 216 - (0.75 / 0.8) * 216;
    expect(svg).toContain(`L423.8,${top.toFixed(1)} L452.4,${top.toFixed(1)}`);
  });

  it('renders the same bytes for the same measurement', () => {
    expect(overlapFigureSvg(row, 0.5, 100)).toBe(svg);
  });
});
