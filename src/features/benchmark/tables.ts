// A benchmark run's result tables as data: one header and rows of raw values per table, as the view's
// CSV and JSON downloads hold them (the rendered tables in BenchmarkResults add meanings and rounding).
// Also the metrics each table lists, shared with the rendered tables. Pure.
import type { CsvCell } from '../../lib/csv';
import type { Summary } from '../../eval/metrics';
import type { BenchmarkResult } from '../../worker/protocol';

export const METRICS = [
  ['rel', 'Reliability (Rel)', 'the edit prompt gives the new answer'],
  ['gen', 'Generalization (Gen)', 'held-out paraphrases of the edit prompt give the new answer'],
  ['loc', 'Locality (Loc)', 'unrelated prompts keep the answers they had before any edit'],
  ['neighborhood', 'Neighborhood', 'the same relation of another subject keeps its answer'],
  ['em', 'Exact match', 'the greedy continuation of the edit prompt starts with the new answer'],
  ['relBefore', 'Rel before editing', 'how often the model already gave the new answer'],
] as const;

/** The columns of the per-relation and gate-sweep tables: the metrics an edit can fail on. */
export const RELATION_COLUMNS = METRICS.filter(([key]) => key !== 'relBefore');

/** What each editor's gate value is called in a table's header. */
export const GATE_SYMBOL = { memoir: 'τ', serac: 'threshold' } as const;

export interface ResultTable {
  /** Names the downloaded file: benchmark-memoir-T10-metrics.csv. */
  readonly id: 'metrics' | 'by-relation' | 'gate-sweep';
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
}

const columns = (summary: Summary) => RELATION_COLUMNS.map(([key]) => summary[key]);

/** The metrics (with Loc per kind of prompt after Loc), per relation when the records name relations,
 *  and along the gate sweep. */
export function resultTables(result: BenchmarkResult): ResultTable[] {
  const { summary } = result;
  const metrics: ResultTable = {
    id: 'metrics',
    header: ['metric', 'value'],
    rows: METRICS.flatMap(([key, name]) => [
      [name, summary[key]],
      ...(key === 'loc'
        ? Object.entries(summary.locByKind).map(([kind, value]) => [`Loc, ${kind} prompts`, value])
        : []),
    ]),
  };
  const names = RELATION_COLUMNS.map(([, name]) => name);
  const byRelation: ResultTable = {
    id: 'by-relation',
    header: ['relation', 'records', ...names],
    rows: result.byRelation.map((r) => [r.relation, r.summary.records, ...columns(r.summary)]),
  };
  const sweep: ResultTable = {
    id: 'gate-sweep',
    header: [GATE_SYMBOL[result.method], ...names],
    rows: result.sweep.map((p) => [p.gate, ...columns(p.summary)]),
  };
  return result.byRelation.length > 0 ? [metrics, byRelation, sweep] : [metrics, sweep];
}

/** A table as JSON: an array of objects keyed by the header. */
export function tableJson(table: ResultTable): string {
  const objects = table.rows.map((row) => Object.fromEntries(table.header.map((h, i) => [h, row[i]])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}
