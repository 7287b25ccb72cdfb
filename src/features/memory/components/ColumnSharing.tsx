// How many stored edits use each column of the memory (capacity and interference): a rule per used
// column, its height the number of edits whose masks hold it, with the summary numbers beside it
// (columns used, shared, max sharing, mean edits per used column, the random-overlap floor k/H).
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from '../../../components/plots/PlotFigure';
import type { Sharing } from '../masks';

export function ColumnSharing({
  counts,
  sharing,
  k,
  users,
}: {
  /** (H) edits per column. */
  counts: Int32Array;
  sharing: Sharing;
  k: number;
  /** The short names ("#1") of the edits using each column, for tooltips and the table. */
  users: (col: number) => string[];
}) {
  const H = counts.length;
  const used = useMemo(
    () =>
      [...counts.keys()]
        .filter((col) => counts[col] > 0)
        .map((col) => ({
          col,
          n: counts[col],
          title: `column ${col}: ${counts[col]} edit(s): ${users(col).join(', ')}`,
        })),
    [counts, users],
  );
  const build = useCallback<PlotBuilder>(
    (Plot) => ({
      width: 720,
      height: 160,
      x: { domain: [0, H], label: `column of Wm (H = ${H})` },
      y: {
        domain: [0, Math.max(1, sharing.maxSharing)],
        label: 'edits using it',
        ticks: Math.max(1, sharing.maxSharing),
      },
      color: { domain: ['one edit', 'two or more edits'], range: ['#2563eb', '#dc2626'], legend: true },
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX(used, {
          x: 'col',
          y1: 0,
          y2: 'n',
          stroke: (d: { n: number }) => (d.n > 1 ? 'two or more edits' : 'one edit'),
          title: 'title',
        }),
      ],
    }),
    [used, H, sharing.maxSharing],
  );
  const values = useMemo(
    () => ({
      header: ['Column', 'Edits using it', 'Edits'],
      rows: used.map((u) => [u.col, u.n, users(u.col).join(', ')]),
    }),
    [used, users],
  );
  const fmt = (x: number) => (Number.isNaN(x) ? '—' : String(+x.toFixed(3)));
  return (
    <>
      <table className="facts" data-testid="memory-sharing">
        <tbody>
          <tr>
            <th>Columns used</th>
            <td>
              {sharing.used} of {H}
            </td>
          </tr>
          <tr>
            <th>Columns two or more edits share</th>
            <td>{sharing.shared}</td>
          </tr>
          <tr>
            <th>Most edits on one column</th>
            <td>{sharing.maxSharing}</td>
          </tr>
          <tr>
            <th>Mean edits per used column</th>
            <td>{fmt(sharing.meanPerUsed)}</td>
          </tr>
          <tr>
            <th>Random-overlap floor k/H</th>
            <td>
              {k}/{H} = {fmt(sharing.randomFloor)}
            </td>
          </tr>
        </tbody>
      </table>
      <PlotFigure
        caption="Edits per column: where the stored edits' masks pile up (red: a column two or more edits train)."
        build={build}
        values={values}
        testId="column-sharing"
      />
    </>
  );
}
