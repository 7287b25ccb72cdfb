// The E × E overlap matrix of the stored edits' masks, |mask_i ∩ mask_j| / k, as a heat map: a pair at
// or above τ shares so many columns that a prompt whose mask falls between them can open the memory on
// the wrong one of the two; the diagonal is each edit with itself (1). Values printed in the cells while
// they fit; tooltips and the Values table give each pair exactly.
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from '../../../components/plots/PlotFigure';

/** Above this many edits the numbers no longer fit in the cells; the tooltips and table still give them. */
const MAX_PRINTED = 12;

export function OverlapMatrix({
  labels,
  titles,
  matrix,
  tau,
}: {
  /** Short names ("#1"), in edit order. */
  labels: readonly string[];
  /** Full names for tooltips and the table. */
  titles: readonly string[];
  matrix: readonly (readonly number[])[];
  tau: number;
}) {
  const kinds = useMemo(
    () => [
      ['same edit', '#9ca3af'],
      [`≥ τ = ${tau}: would cross-fire`, '#dc2626'],
      [`< τ = ${tau}`, '#2563eb'],
    ],
    [tau],
  );
  const cells = useMemo(
    () =>
      matrix.flatMap((row, i) =>
        row.map((overlap, j) => ({
          row: labels[i],
          col: labels[j],
          overlap,
          kind: i === j ? kinds[0][0] : overlap >= tau ? kinds[1][0] : kinds[2][0],
          title:
            i === j
              ? `${titles[i]} with itself: 1`
              : `${titles[i]} and ${titles[j]}: overlap ${overlap.toFixed(3)} ${overlap >= tau ? '≥' : '<'} τ ${tau}`,
        })),
      ),
    [matrix, labels, titles, tau, kinds],
  );
  const build = useCallback<PlotBuilder>(
    (Plot) => {
      const side = Math.max(28, Math.min(56, 480 / Math.max(1, labels.length)));
      return {
        width: 60 + side * labels.length,
        height: 70 + side * labels.length,
        marginLeft: 48,
        x: { domain: labels as string[], label: null, axis: 'top' },
        y: { domain: labels as string[], label: null },
        color: { domain: kinds.map(([k]) => k), range: kinds.map(([, c]) => c), legend: true },
        // Overlap as opacity on the class colour, as is: 0 nearly white, 1 full.
        opacity: { type: 'identity' },
        marks: [
          Plot.cell(cells, {
            x: 'col',
            y: 'row',
            fill: 'kind',
            fillOpacity: (d: { overlap: number }) => 0.15 + 0.85 * d.overlap,
            title: 'title',
            inset: 1,
          }),
          ...(labels.length <= MAX_PRINTED
            ? [
                Plot.text(cells, {
                  x: 'col',
                  y: 'row',
                  text: (d: { overlap: number }) => d.overlap.toFixed(2),
                }),
              ]
            : []),
        ],
      };
    },
    [cells, labels, kinds],
  );
  const values = useMemo(
    () => ({
      header: ['Edit', ...labels],
      rows: matrix.map((row, i) => [titles[i], ...row]),
    }),
    [matrix, labels, titles],
  );
  return (
    <PlotFigure
      caption={`Mask overlap between stored edits, |mask i ∩ mask j| / k, against τ = ${tau}.`}
      build={build}
      values={values}
      testId="overlap-matrix"
    />
  );
}
