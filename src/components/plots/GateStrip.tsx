// A strip plot of scores in [0, 1] (MEMOIR's mask overlaps, SERAC's scope scores) with the gate drawn
// as a line: a dot per prompt, stacked where they crowd (dodge), coloured by what it does at the gate.
// Each dot's tooltip says the prompt, its exact score and which side of the gate it is on.
import { useCallback, useMemo } from 'react';
import { PlotFigure, type PlotBuilder } from './PlotFigure';

export interface StripPoint {
  label: string;
  value: number;
  /** What the prompt does at the gate, one of `kinds` ("fires for this edit", …). */
  kind: string;
}

/** "The capital city of France is: mask overlap 0.734 ≥ τ 0.5 (fires for this edit)". */
export function stripTitle(p: StripPoint, valueName: string, gateName: string, gate: number): string {
  return `${p.label}: ${valueName} ${p.value.toFixed(3)} ${p.value >= gate ? '≥' : '<'} ${gateName} ${gate} (${p.kind})`;
}

export function GateStrip({
  caption,
  points,
  gate,
  gateName,
  valueName,
  kinds,
  testId,
}: {
  caption: string;
  points: readonly StripPoint[];
  gate: number;
  /** "τ", "threshold". */
  gateName: string;
  /** "mask overlap", "scope score". */
  valueName: string;
  /** Each kind a point can have and its colour, in legend order. */
  kinds: readonly (readonly [kind: string, color: string])[];
  testId?: string;
}) {
  const build = useCallback<PlotBuilder>(
    (Plot) => ({
      // Room for the dots dodge stacks (at most a few rows for a handful of prompts, more for 100).
      height: Math.min(220, 60 + 6 * points.length),
      // Two strips (MEMOIR's, SERAC's) side by side in the view's width.
      width: 420,
      marginTop: 18,
      x: { domain: [0, 1], label: valueName },
      color: { domain: kinds.map(([k]) => k), range: kinds.map(([, c]) => c), legend: true },
      marks: [
        Plot.ruleX([gate], { stroke: '#111827', strokeWidth: 2, ariaLabel: () => `${gateName} = ${gate}` }),
        Plot.text([gate], {
          x: (g: number) => g,
          frameAnchor: 'top',
          dy: -12,
          text: () => `${gateName} = ${gate}`,
        }),
        Plot.dotX(
          points,
          Plot.dodgeY({
            anchor: 'middle',
            x: 'value',
            r: 4,
            fill: 'kind',
            title: (p: StripPoint) => stripTitle(p, valueName, gateName, gate),
          }),
        ),
      ],
    }),
    [points, gate, gateName, valueName, kinds],
  );
  const values = useMemo(
    () => ({
      header: ['Prompt', valueName, `At ${gateName} = ${gate}`],
      rows: points.map((p) => [p.label, p.value, p.kind]),
    }),
    [points, gate, gateName, valueName],
  );
  return <PlotFigure caption={caption} build={build} values={values} testId={testId} />;
}
