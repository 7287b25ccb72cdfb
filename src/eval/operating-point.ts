// The one rule both editors' calibrations use to pick a gate from a routing curve: among the gate values
// where at most `maxUnrelatedOpen` of the unrelated prompts open an edit, the one that routes the most
// paraphrases to their own edit (ties: the smaller gate). Not the measurement of the curves (the editors'
// calibrate modules) and not the scope or memory gate itself.

/** One gate value of a routing curve, measured on a calibration set. */
export interface RoutingPoint {
  /** The gate: MEMOIR's τ (overlap) or SERAC's scope threshold. */
  readonly tau: number;
  /** Fraction of paraphrases whose best edit is their own and passes the gate. */
  readonly paraphraseOwn: number;
  /** Fraction of unrelated prompts whose best edit passes the gate (the memory or scope opens). */
  readonly unrelatedOpen: number;
}

/** The bar: at most 1% of unrelated prompts may open an edit. */
export const MAX_UNRELATED_OPEN = 0.01;

/** The point with the most paraphraseOwn among those with unrelatedOpen <= maxUnrelatedOpen (ties to the
 *  smaller gate), or null when no point of the curve keeps unrelated prompts out that well. */
export function chooseOperatingPoint(
  curve: readonly RoutingPoint[],
  maxUnrelatedOpen: number,
): RoutingPoint | null {
  let best: RoutingPoint | null = null;
  for (const p of curve) {
    if (!(p.unrelatedOpen <= maxUnrelatedOpen)) continue;
    if (
      best === null ||
      p.paraphraseOwn > best.paraphraseOwn ||
      (p.paraphraseOwn === best.paraphraseOwn && p.tau < best.tau)
    ) {
      best = p;
    }
  }
  return best;
}

/** Whether a stored value is a RoutingPoint (the gate and both fractions numbers in [0, 1]). */
export function isRoutingPoint(x: unknown): x is RoutingPoint {
  const p = x as Partial<Record<keyof RoutingPoint, unknown>> | null;
  const fraction = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  return (
    typeof p === 'object' &&
    p !== null &&
    fraction(p.tau) &&
    fraction(p.paraphraseOwn) &&
    fraction(p.unrelatedOpen)
  );
}
