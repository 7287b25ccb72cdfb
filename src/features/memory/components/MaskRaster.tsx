// The masks as rasters over the memory's H columns: one strip per mask (each stored edit, and a new
// prompt's mask when one was checked), a tick at each of its k columns, red where another mask of the
// strip set uses the column too (there training one edit moves the other's memory). Tooltips and the
// Values table give each mask's exact columns.
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from '../../../components/plots/PlotFigure';
import { columnUse } from '../masks';

export interface RasterRow {
  /** The strip's short name on the axis ("#2", "new"). */
  label: string;
  /** What it is, for tooltips and the table ("#2 The capital of France is → Rome"). */
  title: string;
  /** (k) sorted columns. */
  cols: Int32Array;
}

const ONLY = 'this mask only';
const SHARED = 'shared with another mask';

export function MaskRaster({ rows, H }: { rows: readonly RasterRow[]; H: number }) {
  const ticks = useMemo(() => {
    const counts = columnUse(
      H,
      rows.map((r) => ({ id: r.label, cols: r.cols })),
    );
    return rows.flatMap((r) =>
      [...r.cols].map((col) => ({
        row: r.label,
        col,
        kind: counts[col] > 1 ? SHARED : ONLY,
        title: `${r.title}: column ${col} (${counts[col]} of these masks use it)`,
      })),
    );
  }, [rows, H]);
  const build = useCallback<PlotBuilder>(
    (Plot) => ({
      width: 720,
      height: 50 + 26 * rows.length,
      marginLeft: 48,
      x: { domain: [0, H], label: `column of Wm (H = ${H})` },
      y: { domain: rows.map((r) => r.label), label: null },
      color: { domain: [ONLY, SHARED], range: ['#2563eb', '#dc2626'], legend: true },
      marks: [
        Plot.frame({ stroke: '#d1d5db' }),
        Plot.tickX(ticks, { x: 'col', y: 'row', stroke: 'kind', title: 'title' }),
      ],
    }),
    [ticks, rows, H],
  );
  const values = useMemo(
    () => ({
      header: ['Mask', 'Columns', 'Shared with another mask', 'Column list'],
      rows: rows.map((r) => {
        const mine = ticks.filter((t) => t.row === r.label);
        return [r.title, r.cols.length, mine.filter((t) => t.kind === SHARED).length, [...r.cols].join(' ')];
      }),
    }),
    [rows, ticks],
  );
  return (
    <PlotFigure
      caption="Each mask over the memory's columns: the k columns of Wm its edit trains."
      build={build}
      values={values}
      testId="mask-raster"
    />
  );
}
