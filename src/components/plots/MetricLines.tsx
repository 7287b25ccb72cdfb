// Metrics against a number (Rel/Gen/Loc against τ or SERAC's threshold, or against T): a line per
// metric with a dot per value (its tooltip the exact value), and optionally one x marked (the current
// gate), so a trade-off curve shows where the editor stands on it.
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from './PlotFigure';
import { pointsOf, valuesOf, type MetricRow, type Point, type SeriesList } from './series';

export function MetricLines({
  caption,
  rows,
  series,
  xName,
  marked,
  testId,
}: {
  caption: string;
  rows: readonly MetricRow<number>[];
  series: SeriesList;
  xName: string;
  /** An x to draw a dashed line at, and its label ("τ = 0.5 (this run)"). */
  marked?: { x: number; label: string };
  testId?: string;
}) {
  const build = useCallback<PlotBuilder>(
    (Plot) => {
      const points = pointsOf(rows, series);
      const title = (p: Point<number>) => `${p.series} at ${xName} ${p.x}: ${p.value.toFixed(3)}`;
      return {
        height: 260,
        marginTop: 18,
        x: { label: xName, ticks: rows.map((r) => r.x), tickFormat: (x: number) => String(x) },
        y: { domain: [0, 1], label: 'score', grid: true },
        color: { domain: series.map(([, name]) => name), legend: true },
        marks: [
          ...(marked
            ? [
                Plot.ruleX([marked.x], { strokeDasharray: '4 3', ariaLabel: () => marked.label }),
                Plot.text([marked.x], {
                  x: (x: number) => x,
                  frameAnchor: 'top',
                  dy: -12,
                  text: () => marked.label,
                }),
              ]
            : []),
          Plot.lineY(points, { x: 'x', y: 'value', stroke: 'series' }),
          Plot.dot(points, { x: 'x', y: 'value', fill: 'series', r: 3, title }),
        ],
      };
    },
    [rows, series, xName, marked],
  );
  const values = useMemo(() => valuesOf(rows, series, xName), [rows, series, xName]);
  return <PlotFigure caption={caption} build={build} values={values} testId={testId} />;
}
