// The MEMOIR calibration figure as a standalone SVG: for each candidate of a calibration record
// (src/editors/memoir/calibration.ts), the share of paraphrases routed to their own fact (top) and of
// unrelated prompts that open the memory (bottom, with the 1% bar) against τ; the chosen configuration and
// the paper preset in colour, their τ marked, the other candidates grey. Same bytes for the same record.
// Not the measurement (calibrate.ts) and not the app's figure (src/components/plots/CalibrationPlot.tsx).
// Run: node bench/calibration-figure.mjs <record.json | bench result with .calibration> > figure.svg

import fs from 'node:fs';

const W = 680;
const PANEL_H = 190;
const M = { left: 56, right: 190, top: 36, gap: 44, bottom: 40 };
const H = M.top + 2 * PANEL_H + M.gap + M.bottom;
const PLOT_W = W - M.left - M.right;
const n1 = (x) => x.toFixed(1);
const xOf = (tau) => M.left + tau * PLOT_W;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(top, title, key, curves, marks) {
  const yOf = (v) => top + PANEL_H - v * PANEL_H;
  const axis =
    `<line x1="${M.left}" y1="${top + PANEL_H}" x2="${M.left + PLOT_W}" y2="${top + PANEL_H}" stroke="#111827"/>` +
    `<line x1="${M.left}" y1="${top}" x2="${M.left}" y2="${top + PANEL_H}" stroke="#111827"/>` +
    [0, 0.25, 0.5, 0.75, 1]
      .map(
        (v) =>
          `<text x="${M.left - 6}" y="${n1(yOf(v) + 4)}" font-size="10" text-anchor="end">${v * 100}%</text>` +
          `<text x="${n1(xOf(v))}" y="${top + PANEL_H + 14}" font-size="10" text-anchor="middle">${v}</text>`,
      )
      .join('') +
    `<text x="${M.left}" y="${top - 6}" font-size="12">${title}</text>`;
  const lines = curves
    .map(
      (c) =>
        `<path d="${c.curve.map((p, i) => `${i ? 'L' : 'M'}${n1(xOf(p.tau))},${n1(yOf(p[key]))}`).join(' ')}" ` +
        `fill="none" stroke="${c.color}" stroke-width="${c.width}"/>`,
    )
    .join('');
  const dots = marks
    .map(
      (m) => `<circle cx="${n1(xOf(m.tau))}" cy="${n1(yOf(m[key]))}" r="4" fill="${m.color}" stroke="#fff"/>`,
    )
    .join('');
  return axis + lines + dots;
}

export function calibrationFigureSvg(rec) {
  const chosen = rec.candidates.find((c) => c.label === rec.chosenLabel) ?? rec.paperResult;
  const others = rec.candidates.filter((c) => c !== chosen && c.label !== rec.paperResult.label);
  const curves = [
    ...others.map((c) => ({ ...c, color: '#d1d5db', width: 1 })),
    { ...rec.paperResult, color: '#c2410c', width: 2 },
    { ...chosen, color: '#0f766e', width: 2.5 },
  ];
  const at = (c, tau) => c.curve.find((p) => Math.abs(p.tau - tau) < 1e-9);
  const marks = [
    { ...at(rec.paperResult, rec.paper.tau), color: '#c2410c' },
    { ...at(chosen, rec.chosen.tau), color: '#0f766e' },
  ].filter((m) => m.tau !== undefined);
  const top2 = M.top + PANEL_H + M.gap;
  const bar = top2 + PANEL_H - 0.01 * PANEL_H;
  const legend = [
    ['#0f766e', `chosen, τ ${rec.chosen.tau}`, rec.chosenLabel],
    ['#c2410c', `paper preset, τ ${rec.paper.tau}`, rec.paperResult.label],
    ['#d1d5db', `${others.length} other candidates`, ''],
  ]
    .map(
      ([color, head, label], i) =>
        `<rect x="${W - M.right + 12}" y="${M.top + i * 36}" width="10" height="10" fill="${color}"/>` +
        `<text x="${W - M.right + 26}" y="${M.top + 9 + i * 36}" font-size="10">${esc(head)}</text>` +
        `<text x="${W - M.right + 26}" y="${M.top + 22 + i * 36}" font-size="9">${esc(label)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" fill="#111827">` +
    `<rect width="${W}" height="${H}" fill="#fff"/>` +
    `<text x="${M.left}" y="16" font-size="13" font-weight="bold">${esc(`MEMOIR calibration of ${rec.modelId} (${rec.precision}) on ${rec.calibrationSet}`)}</text>` +
    panel(M.top + 4, 'paraphrases routed to their own fact', 'paraphraseOwn', curves, marks) +
    panel(top2, 'unrelated prompts that open the memory', 'unrelatedOpen', curves, marks) +
    `<line x1="${M.left}" y1="${n1(bar)}" x2="${M.left + PLOT_W}" y2="${n1(bar)}" stroke="#111827" stroke-dasharray="4 3"/>` +
    `<text x="${M.left + PLOT_W - 4}" y="${n1(bar - 4)}" font-size="10" text-anchor="end">1%</text>` +
    `<text x="${M.left + PLOT_W / 2}" y="${H - 8}" font-size="11" text-anchor="middle">τ (overlap gate)</text>` +
    legend +
    `</svg>\n`
  );
}

const input = process.argv[2];
if (input) {
  const json = JSON.parse(fs.readFileSync(input, 'utf8'));
  process.stdout.write(calibrationFigureSvg(json.calibration ?? json));
}
