// SERAC's routing rule as a pure function over the scope classifier's scores: the top-1 stored edit,
// in scope when its score reaches the threshold. Ties go to the earlier edit (stable across re-runs).
// Not the classifier (scope.ts) and not the memory of edits (editor.ts).

import { EngineError } from '../../engine/errors';

export interface Route {
  /** Index into the scores (the order of the stored edits). */
  readonly index: number;
  readonly score: number;
}

/** The highest score and its index, the earliest on ties; null when there are no scores. A score that is
 *  not a finite number means the classifier is broken: throw instead of routing on garbage. */
export function top1(scores: ArrayLike<number>): Route | null {
  let best: Route | null = null;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (!Number.isFinite(score)) {
      throw new EngineError('SHAPE', `serac router: score ${i} is ${score}, expected a finite number`);
    }
    if (best === null || score > best.score) best = { index: i, score };
  }
  return best;
}

/** The edit a query routes to: top-1 when its score >= threshold, else null (the base model answers). */
export function route(scores: ArrayLike<number>, threshold: number): Route | null {
  const best = top1(scores);
  return best !== null && best.score >= threshold ? best : null;
}
