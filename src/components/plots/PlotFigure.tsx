// One chart of the app's plots (src/components/plots, shared by views): Observable Plot draws it as SVG
// into a <figure> whose caption names it and whose "Values" table is its text equivalent.
// Why Observable Plot (@observablehq/plot): it draws SVG (text a screen reader and the page's search
// can read; the svg gets the caption as aria-label), every mark takes a `title` channel that becomes a
// native tooltip with the exact value, its marks (dots, rules, lines, bars, dodge) cover strip plots
// and trade-off curves in a few lines, and it is small beside recharts (redux, immer) or echarts
// (canvas-first); uPlot draws on canvas, so it has no text to read. Plots hold no focusable parts.
import * as Plot from '@observablehq/plot';
import { useEffect, useRef, type ReactNode } from 'react';
import { ValuesTable, type Values } from './ValuesTable';

/** `options` are Plot.plot's (memoize them: a new object draws the chart again); `values` the same
 *  numbers as a table. */
export function PlotFigure({
  caption,
  options,
  values,
  testId,
  children,
}: {
  caption: string;
  options: Plot.PlotOptions;
  values: Values;
  testId?: string;
  /** Shown under the caption (a legend in words, say). */
  children?: ReactNode;
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = Plot.plot({ ariaLabel: caption, ...options });
    holder.current!.replaceChildren(chart);
    return () => chart.remove();
  }, [caption, options]);
  return (
    <figure className="plot" data-testid={testId}>
      <div ref={holder} />
      <figcaption>
        {caption}
        {children}
        <details>
          <summary>Values</summary>
          <ValuesTable values={values} />
        </details>
      </figcaption>
    </figure>
  );
}
