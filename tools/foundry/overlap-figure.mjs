// The model card's MEMOIR figure, after the paper's retention figure: how the mask overlap of held-out
// rephrases with their own edit, and of unrelated (locality) and neighbourhood prompts with their best
// stored edit, are distributed, with τ and the random-overlap floor marked. Input: one config row of
// bench/memoir-overlap.ts (its `histograms`); output: a standalone SVG string, the same bytes for the
// same input. Not the measurement itself.

/** The figure's file name in the model folder, next to the card that shows it. */
export const MEMOIR_FIGURE = 'memoir-overlap.svg';

const W = 640;
const H = 300;
const M = { left: 52, right: 16, top: 40, bottom: 44 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const SERIES = [
  { key: 'rephraseOwn', label: 'held-out rephrase · own edit', color: '#0f766e' },
  { key: 'neighborhoodBest', label: 'neighborhood · best edit', color: '#c2410c' },
  { key: 'localityBest', label: 'locality (other facts) · best edit', color: '#4b5563' },
];

const n1 = (x) => x.toFixed(1);
const xOf = (overlap) => M.left + overlap * PLOT_W;

/** Fractions of the series' prompts per bin, so series of different sizes compare. */
const fractions = (counts) => {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
};

/** A closed step outline over the bins, from the baseline up and back down. */
function stepPath(fracs, yOf) {
  const bins = fracs.length;
  let d = `M${n1(xOf(0))},${n1(yOf(0))}`;
  fracs.forEach((f, i) => {
    d += ` L${n1(xOf(i / bins))},${n1(yOf(f))} L${n1(xOf((i + 1) / bins))},${n1(yOf(f))}`;
  });
  return `${d} L${n1(xOf(1))},${n1(yOf(0))} Z`;
}

function marker(x, label, dash) {
  return (
    `<line x1="${n1(x)}" y1="${M.top}" x2="${n1(x)}" y2="${M.top + PLOT_H}" stroke="#111827" ` +
    `stroke-width="1.5" stroke-dasharray="${dash}"/>` +
    `<text x="${n1(x + 4)}" y="${M.top + 12}" font-size="11">${label}</text>`
  );
}

/**
 * @param {{ layer: number, k: number, pooling: string, normalize: string, randomFloor: number,
 *   histograms: { bins: number, rephraseOwn: number[], localityBest: number[], neighborhoodBest: number[] } }} row
 * @param {number} tau
 * @param {number} N edits stored
 */
export function overlapFigureSvg(row, tau, N) {
  const series = SERIES.map((s) => ({ ...s, fracs: fractions(row.histograms[s.key]) }));
  const top = Math.max(0.05, ...series.flatMap((s) => s.fracs));
  const yMax = Math.ceil(top * 10) / 10;
  const yOf = (f) => M.top + PLOT_H - (f / yMax) * PLOT_H;
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${n1(xOf(t))}" y1="${M.top + PLOT_H}" x2="${n1(xOf(t))}" y2="${M.top + PLOT_H + 4}" stroke="#111827"/>` +
        `<text x="${n1(xOf(t))}" y="${M.top + PLOT_H + 16}" font-size="11" text-anchor="middle">${t}</text>`,
    )
    .join('');
  const yTicks = Array.from({ length: Math.round(yMax * 10) + 1 }, (_, i) => i / 10)
    .map(
      (f) =>
        `<line x1="${M.left - 4}" y1="${n1(yOf(f))}" x2="${M.left}" y2="${n1(yOf(f))}" stroke="#111827"/>` +
        `<text x="${M.left - 7}" y="${n1(yOf(f) + 4)}" font-size="11" text-anchor="end">${Math.round(f * 100)}%</text>`,
    )
    .join('');
  const areas = series
    .map(
      (s) =>
        `<path d="${stepPath(s.fracs, yOf)}" fill="${s.color}" fill-opacity="0.18" stroke="${s.color}" stroke-width="1.5"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${W - M.right - 230}" y="${M.top + 24 + i * 16}" width="10" height="10" fill="${s.color}"/>` +
        `<text x="${W - M.right - 214}" y="${M.top + 33 + i * 16}" font-size="11">${s.label}</text>`,
    )
    .join('');
  const title =
    `Mask overlap with ${N} stored edits — layer ${row.layer}, k = ${row.k}, ` +
    `${row.pooling} token, ${row.normalize}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
    `font-family="sans-serif" fill="#111827">` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
    `<text x="${M.left}" y="20" font-size="13" font-weight="bold">${title}</text>` +
    areas +
    `<line x1="${M.left}" y1="${M.top + PLOT_H}" x2="${M.left + PLOT_W}" y2="${M.top + PLOT_H}" stroke="#111827"/>` +
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + PLOT_H}" stroke="#111827"/>` +
    xTicks +
    yTicks +
    marker(xOf(tau), `τ = ${tau}`, '6 3') +
    marker(xOf(row.randomFloor), `k/H = ${row.randomFloor}`, '2 3') +
    legend +
    `<text x="${M.left + PLOT_W / 2}" y="${H - 8}" font-size="11" text-anchor="middle">overlap |q ∩ e| / k</text>` +
    `<text x="14" y="${M.top + PLOT_H / 2}" font-size="11" text-anchor="middle" ` +
    `transform="rotate(-90 14 ${M.top + PLOT_H / 2})">share of prompts</text>` +
    `</svg>\n`
  );
}
