import { describe, expect, it } from 'vitest';
import { pointsOf, valuesOf } from './series';

const rows = [
  { x: 0.3, metrics: { rel: 1, gen: 0.8, loc: null } },
  { x: 0.5, metrics: { rel: 0.9, gen: 0.5, loc: 0.95 } },
];
const series = [
  ['rel', 'Rel'],
  ['gen', 'Gen'],
  ['loc', 'Loc'],
  ['neighborhood', 'Neighborhood'],
] as const;

describe('plot series', () => {
  it('gives one point per row and series with a value, leaving out null and absent ones', () => {
    expect(pointsOf(rows, series)).toEqual([
      { x: 0.3, series: 'Rel', value: 1 },
      { x: 0.3, series: 'Gen', value: 0.8 },
      { x: 0.5, series: 'Rel', value: 0.9 },
      { x: 0.5, series: 'Gen', value: 0.5 },
      { x: 0.5, series: 'Loc', value: 0.95 },
    ]);
  });

  it('lists the same rows as a table, null where a value is missing', () => {
    expect(valuesOf(rows, series, 'τ')).toEqual({
      header: ['τ', 'Rel', 'Gen', 'Loc', 'Neighborhood'],
      rows: [
        [0.3, 1, 0.8, null, null],
        [0.5, 0.9, 0.5, 0.95, null],
      ],
    });
  });
});
