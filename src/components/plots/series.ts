// Tables of metrics reshaped for the plots: one point per (row, metric) as Plot's marks read them, and
// the same rows as a plot's text equivalent. Pure; the views build the rows from their own results.
import type { Values } from './ValuesTable';

/** One row of a metrics table: where it sits on the x axis (a gate value, a T, a relation) and its
 *  metrics by key; a metric a run has no prompts for is null. */
export interface MetricRow<X extends string | number> {
  x: X;
  metrics: Readonly<Record<string, number | null>>;
}

/** The metrics a plot draws: key in the rows, and the name the legend and tooltips show. */
export type SeriesList = readonly (readonly [key: string, name: string])[];

export interface Point<X extends string | number> {
  x: X;
  series: string;
  value: number;
}

/** One point per row and series with a value, rows in order; null and absent values are left out (a
 *  line then joins the known points, a bar is not drawn). */
export function pointsOf<X extends string | number>(
  rows: readonly MetricRow<X>[],
  series: SeriesList,
): Point<X>[] {
  return rows.flatMap(({ x, metrics }) =>
    series.flatMap(([key, name]) => {
      const value = metrics[key];
      return value === null || value === undefined ? [] : [{ x, series: name, value }];
    }),
  );
}

/** The rows as a table: x, then each series (null where a row has no value). */
export function valuesOf<X extends string | number>(
  rows: readonly MetricRow<X>[],
  series: SeriesList,
  xName: string,
): Values {
  return {
    header: [xName, ...series.map(([, name]) => name)],
    rows: rows.map(({ x, metrics }) => [x, ...series.map(([key]) => metrics[key] ?? null)]),
  };
}
