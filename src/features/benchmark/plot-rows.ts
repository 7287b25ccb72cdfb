// A benchmark run's results as the rows the plots read (src/components/plots): the metrics along the
// gate sweep, per relation, and over T across the runs of this visit. Pure; the tables stay in tables.ts.
import type { Summary } from '../../eval/metrics';
import type { MetricRow, SeriesList } from '../../components/plots/series';
import type { BenchmarkResult } from '../../worker/protocol';

/** The metrics the plots draw: whether an edit holds (Rel, Gen) and what it must leave alone (Loc,
 *  Neighborhood). */
export const PLOTTED = [
  ['rel', 'Rel'],
  ['gen', 'Gen'],
  ['loc', 'Loc'],
  ['neighborhood', 'Neighborhood'],
] as const satisfies SeriesList;

const metricsOf = (summary: Summary) => Object.fromEntries(PLOTTED.map(([key]) => [key, summary[key]]));

/** One row per gate value of the sweep, ascending as the worker gives them. */
export function sweepRows(result: BenchmarkResult): MetricRow<number>[] {
  return result.sweep.map((p) => ({ x: p.gate, metrics: metricsOf(p.summary) }));
}

/** One row per relation of the measured records. */
export function relationRows(result: BenchmarkResult): MetricRow<string>[] {
  return result.byRelation.map((r) => ({ x: r.relation, metrics: metricsOf(r.summary) }));
}

/** What the view keeps of each finished run to draw metrics over T. */
export interface RunSummary {
  method: BenchmarkResult['method'];
  /** "facts" or the uploaded file's name: runs on other edits are not one curve. */
  source: string;
  T: number;
  gate: number;
  summary: Summary;
}

/** The runs with `like`'s editor, edits and gate, one row per T (the latest run at each T), by T. */
export function rowsOverT(
  runs: readonly RunSummary[],
  like: Omit<RunSummary, 'T' | 'summary'>,
): MetricRow<number>[] {
  const byT = new Map<number, Summary>();
  for (const run of runs) {
    if (run.method === like.method && run.source === like.source && run.gate === like.gate) {
      byT.set(run.T, run.summary);
    }
  }
  return [...byT.entries()]
    .sort(([a], [b]) => a - b)
    .map(([T, summary]) => ({ x: T, metrics: metricsOf(summary) }));
}
