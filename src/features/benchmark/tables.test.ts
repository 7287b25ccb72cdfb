import { describe, expect, it } from 'vitest';
import { toCsv } from '../../lib/csv';
import type { Summary } from '../../eval/metrics';
import type { BenchmarkResult } from '../../worker/protocol';
import { resultTables, tableJson } from './tables';

const summary = (rel: number, over: Partial<Summary> = {}): Summary => ({
  records: 2,
  rel,
  gen: 0.5,
  loc: 1,
  locByKind: { nq: 1 },
  neighborhood: null,
  em: 1,
  relBefore: 0,
  ...over,
});

const result: BenchmarkResult = {
  method: 'memoir',
  modelId: 'm',
  T: 2,
  measured: 2,
  summary: summary(0.75),
  byRelation: [],
  millis: { baseline: 1, edit: 2, measure: 3 },
  meanSteps: 4,
  gate: 0.53,
  sweep: [
    { gate: 0.3, summary: summary(1) },
    { gate: 0.53, summary: summary(0.75) },
  ],
};

describe('result tables', () => {
  it('lists the metrics with Loc per kind, and the sweep with one row per gate', () => {
    const [metrics, sweep] = resultTables(result);
    expect(resultTables(result).map((t) => t.id)).toEqual(['metrics', 'gate-sweep']);
    expect(metrics.rows.slice(0, 4)).toEqual([
      ['Reliability (Rel)', 0.75],
      ['Generalization (Gen)', 0.5],
      ['Locality (Loc)', 1],
      ['Loc, nq prompts', 1],
    ]);
    expect(toCsv(sweep.header, sweep.rows).split('\r\n').slice(0, 2)).toEqual([
      'τ,Reliability (Rel),Generalization (Gen),Locality (Loc),Neighborhood,Exact match',
      '0.3,1,0.5,1,,1',
    ]);
    expect(JSON.parse(tableJson(sweep))[1]).toEqual({
      τ: 0.53,
      'Reliability (Rel)': 0.75,
      'Generalization (Gen)': 0.5,
      'Locality (Loc)': 1,
      Neighborhood: null,
      'Exact match': 1,
    });
  });

  it('adds the per-relation table when the records name relations', () => {
    const withRelations = { ...result, byRelation: [{ relation: 'capital', summary: summary(1) }] };
    const tables = resultTables(withRelations);
    expect(tables.map((t) => t.id)).toEqual(['metrics', 'by-relation', 'gate-sweep']);
    expect(tables[1].rows).toEqual([['capital', 2, 1, 0.5, 1, null, 1]]);
  });
});
