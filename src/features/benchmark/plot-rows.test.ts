import { describe, expect, it } from 'vitest';
import type { Summary } from '../../eval/metrics';
import type { BenchmarkResult } from '../../worker/protocol';
import { relationRows, rowsOverT, sweepRows, type RunSummary } from './plot-rows';

const summary = (rel: number, loc: number | null = 1): Summary => ({
  records: 2,
  rel,
  gen: rel / 2,
  loc,
  locByKind: {},
  neighborhood: null,
  em: 0,
  relBefore: 0,
});

describe('benchmark plot rows', () => {
  const result = {
    method: 'memoir',
    gate: 0.5,
    sweep: [
      { gate: 0.3, summary: summary(1, 0.5) },
      { gate: 0.5, summary: summary(0.8) },
    ],
    byRelation: [{ relation: 'capital', summary: summary(0.6) }],
  } as unknown as BenchmarkResult;

  it('draws Rel, Gen, Loc and Neighborhood along the gate sweep and per relation', () => {
    expect(sweepRows(result)).toEqual([
      { x: 0.3, metrics: { rel: 1, gen: 0.5, loc: 0.5, neighborhood: null } },
      { x: 0.5, metrics: { rel: 0.8, gen: 0.4, loc: 1, neighborhood: null } },
    ]);
    expect(relationRows(result)).toEqual([
      { x: 'capital', metrics: { rel: 0.6, gen: 0.3, loc: 1, neighborhood: null } },
    ]);
  });

  it('takes the latest run per T of the same editor, edits and gate, ordered by T', () => {
    const run = (T: number, rel: number, other: Partial<RunSummary> = {}): RunSummary => ({
      method: 'memoir',
      source: 'facts',
      T,
      gate: 0.5,
      summary: summary(rel),
      ...other,
    });
    const runs = [
      run(20, 0.7),
      run(10, 0.9),
      run(10, 0.95),
      run(5, 0.1, { method: 'serac' }),
      run(5, 0.2, { source: 'zsre.json' }),
      run(5, 0.3, { gate: 0.6 }),
    ];
    expect(
      rowsOverT(runs, { method: 'memoir', source: 'facts', gate: 0.5 }).map((r) => [r.x, r.metrics.rel]),
    ).toEqual([
      [10, 0.95],
      [20, 0.7],
    ]);
  });
});
