// One chart of the app's plots (src/components/plots, shared by views): Observable Plot draws it as SVG
// into a <figure> whose caption names it and whose "Values" table is its text equivalent.
// Why Observable Plot (@observablehq/plot): it draws SVG (text a screen reader and the page's search
// can read; the svg gets the caption as aria-label), every mark takes a `title` channel that becomes a
// native tooltip with the exact value, its marks (dots, rules, lines, bars, dodge) cover strip plots
// and trade-off curves in a few lines, and it is small beside recharts (redux, immer) or echarts
// (canvas-first); uPlot draws on canvas, so it has no text to read. Plots hold no focusable parts.
// The library is its own chunk, fetched with the first plot a view draws (it is most of a plot's
// weight, and the other views draw none); once here, every later draw is synchronous.
import type * as PlotModule from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';
import { ValuesTable, type Values } from './ValuesTable';

/** A chart's Plot.plot options, built from the library's marks (memoize it: a new one draws again). */
export type PlotBuilder = (plot: typeof PlotModule) => PlotModule.PlotOptions;

let library: typeof PlotModule | null = null;

/** Plot labels each mark ("rule", "frame", "τ = 0.5") with aria-label but no role, and a plain <g> or
 *  <rect> may not carry a name (axe: aria-prohibited-attr). A group of marks is a `group`, one mark an
 *  `img`: the labels then reach a screen reader as names. */
function nameMarks(chart: Element): void {
  for (const mark of chart.querySelectorAll('[aria-label]:not([role])'))
    if (mark.tagName !== 'svg') mark.setAttribute('role', mark.tagName === 'g' ? 'group' : 'img');
}

/** `build` gives the chart's options; `values` are the same numbers as a table. */
export function PlotFigure({
  caption,
  build,
  values,
  testId,
}: {
  caption: string;
  build: PlotBuilder;
  values: Values;
  testId?: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let chart: Element | null = null;
    let gone = false;
    const draw = (plot: typeof PlotModule) => {
      if (gone) return;
      chart = plot.plot({ ariaLabel: caption, ...build(plot) });
      nameMarks(chart);
      holder.current!.replaceChildren(chart);
    };
    if (library) draw(library);
    else
      import('@observablehq/plot').then(
        (loaded) => draw((library = loaded)),
        (error: Error) => setFailure(error.message),
      );
    return () => {
      gone = true;
      chart?.remove();
    };
  }, [caption, build]);
  return (
    <figure className="plot" data-testid={testId}>
      <div ref={holder} />
      <figcaption>
        {caption}
        {failure && (
          <span className="notice warn"> The plot could not be drawn ({failure}); its values are below.</span>
        )}
        <details>
          <summary>Values</summary>
          <ValuesTable values={values} />
        </details>
      </figcaption>
    </figure>
  );
}
