// Metrics per category (Rel/Gen/Loc per relation) as grouped bars: a group per category, a bar per
// metric, each bar's tooltip its exact value.
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from './PlotFigure';
import { pointsOf, valuesOf, type MetricRow, type Point, type SeriesList } from './series';

export function MetricBars({
  caption,
  rows,
  series,
  xName,
  testId,
}: {
  caption: string;
  rows: readonly MetricRow<string>[];
  series: SeriesList;
  xName: string;
  testId?: string;
}) {
  const build = useCallback<PlotBuilder>(
    (Plot) => {
      const points = pointsOf(rows, series);
      const names = series.map(([, name]) => name);
      return {
        height: 240,
        fx: { label: xName, domain: rows.map((r) => r.x) },
        x: { axis: null, domain: names },
        y: { domain: [0, 1], label: 'score', grid: true },
        color: { domain: names, legend: true },
        marks: [
          Plot.barY(points, {
            fx: 'x',
            x: 'series',
            y: 'value',
            fill: 'series',
            title: (p: Point<string>) => `${p.x}, ${p.series}: ${p.value.toFixed(3)}`,
          }),
          Plot.ruleY([0]),
        ],
      };
    },
    [rows, series, xName],
  );
  const values = useMemo(() => valuesOf(rows, series, xName), [rows, series, xName]);
  return <PlotFigure caption={caption} build={build} values={values} testId={testId} />;
}
