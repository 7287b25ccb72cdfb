// A MEMOIR calibration as a figure: for each candidate configuration, the paraphrases its routing sends
// to their own fact (top panel) and the unrelated prompts that open the memory (bottom panel, with the 1%
// bar) against τ; the chosen configuration's curve and point and the paper preset's curve and its τ point
// stand out, the other candidates are grey. Draws a record; computes nothing (editors/memoir/calibrate.ts).
import { useCallback, useMemo } from 'react';
import type { CandidateResult, MemoirCalibration } from '../../editors/memoir/calibration';
import { MAX_UNRELATED_OPEN } from '../../eval/operating-point';
import { PlotFigure, type PlotBuilder } from './PlotFigure';
import type { Values } from './ValuesTable';

const OWN = 'paraphrases routed to their own fact';
const OPEN = 'unrelated prompts that open the memory';
const CHOSEN = 'chosen';
const PAPER = 'paper preset';
const OTHER = 'other candidates';

interface CurvePoint {
  candidate: string;
  role: string;
  tau: number;
  panel: string;
  value: number;
}

interface Marked {
  tau: number;
  panel: string;
  value: number;
  text: string;
}

/** The candidate the record chose (the paper preset's own result when it kept that). */
export function chosenCandidate(c: MemoirCalibration): CandidateResult {
  return c.candidates.find((x) => x.label === c.chosenLabel) ?? c.paperResult;
}

/** Every curve point of every candidate, the paper preset's included (once). */
export function curvePoints(c: MemoirCalibration): CurvePoint[] {
  const curves = c.candidates.some((x) => x.label === c.paperResult.label)
    ? c.candidates
    : [...c.candidates, c.paperResult];
  return curves.flatMap((x) => {
    const role = x.label === c.chosenLabel ? CHOSEN : x.label === c.paperResult.label ? PAPER : OTHER;
    return x.curve.flatMap((p) => [
      { candidate: x.label, role, tau: p.tau, panel: OWN, value: p.paraphraseOwn },
      { candidate: x.label, role, tau: p.tau, panel: OPEN, value: p.unrelatedOpen },
    ]);
  });
}

/** The chosen point (at the chosen τ) and the paper preset's (at its τ), on both panels. */
export function markedPoints(c: MemoirCalibration): Marked[] {
  const at = (x: CandidateResult, tau: number, text: string): Marked[] => {
    const p = x.curve.find((q) => Math.abs(q.tau - tau) < 1e-9);
    if (!p) return [];
    return [
      { tau, panel: OWN, value: p.paraphraseOwn, text },
      { tau, panel: OPEN, value: p.unrelatedOpen, text },
    ];
  };
  const chosen = chosenCandidate(c);
  // The calibration may keep the paper preset itself: one point, named for both.
  if (chosen.label === c.paperResult.label && c.chosen.tau === c.paper.tau)
    return at(chosen, c.chosen.tau, `chosen = paper: τ ${c.chosen.tau}`);
  return [
    ...at(chosen, c.chosen.tau, `chosen: τ ${c.chosen.tau}`),
    ...at(c.paperResult, c.paper.tau, `paper: τ ${c.paper.tau}`),
  ];
}

export function CalibrationPlot({ calibration }: { calibration: MemoirCalibration }) {
  const points = useMemo(() => curvePoints(calibration), [calibration]);
  const marked = useMemo(() => markedPoints(calibration), [calibration]);
  const build = useCallback<PlotBuilder>(
    (Plot) => ({
      height: 440,
      marginRight: 60,
      x: { label: 'gate τ (mask overlap)', domain: [0, 1] },
      y: { domain: [0, 1], label: 'share of prompts', grid: true },
      // Each panel is named by a title inside its frame: a side axis label would not fit its text.
      fy: { label: null, domain: [OWN, OPEN], axis: null, padding: 0.12 },
      color: { domain: [CHOSEN, PAPER, OTHER], range: ['#1f77b4', '#d62728', '#b0b0b0'], legend: true },
      marks: [
        Plot.frame(),
        Plot.text([OWN, OPEN], {
          fy: (d: string) => d,
          text: (d: string) => d,
          frameAnchor: 'top-right',
          dx: -6,
          dy: 6,
        }),
        Plot.ruleY([{ panel: OPEN, y: MAX_UNRELATED_OPEN }], {
          y: 'y',
          fy: 'panel',
          strokeDasharray: '4 3',
          ariaLabel: () => `the ${MAX_UNRELATED_OPEN * 100}% bar for unrelated prompts`,
        }),
        // Grey first, so the chosen and paper curves are drawn over them.
        ...[OTHER, PAPER, CHOSEN].map((role) =>
          Plot.line(
            points.filter((p) => p.role === role),
            {
              x: 'tau',
              y: 'value',
              z: 'candidate',
              fy: 'panel',
              stroke: 'role',
              strokeWidth: role === OTHER ? 1 : 2.5,
              title: (p: CurvePoint) => `${p.candidate} (${p.role})`,
            },
          ),
        ),
        Plot.dot(marked, {
          x: 'tau',
          y: 'value',
          fy: 'panel',
          r: 5,
          stroke: 'black',
          fill: 'white',
          title: (m: Marked) => `${m.text}: ${m.panel} ${m.value.toFixed(3)}`,
        }),
        Plot.text(marked, {
          x: 'tau',
          y: 'value',
          fy: 'panel',
          text: 'text',
          dy: -10,
          fontWeight: 'bold',
        }),
      ],
    }),
    [points, marked],
  );
  const values = useMemo<Values>(
    () => ({
      header: ['candidate', 'τ', OWN, OPEN],
      rows: [...new Set(points.map((p) => p.candidate))].flatMap((candidate) => {
        const own = points.filter((p) => p.candidate === candidate && p.panel === OWN);
        const open = points.filter((p) => p.candidate === candidate && p.panel === OPEN);
        return own.map((p, i) => [candidate, p.tau, p.value, open[i].value]);
      }),
    }),
    [points],
  );
  return (
    <PlotFigure
      caption={`MEMOIR routing on the calibration set (${calibration.calibrationSet}) against τ, per candidate`}
      build={build}
      values={values}
      testId="calibration-plot"
    />
  );
}
