// Each editor's routing decision for one prompt in one sentence: which stored edit matched best, its
// score against the editor's threshold, and so which model answered.
import type { RoutingSummary, SeracRoutingSummary } from '../worker/protocol';

const quoted = (best: { prompt: string; target: string }) => `“${best.prompt}” → “${best.target.trim()}”`;

export function memoirRoutingText(routing: RoutingSummary): string {
  if (!routing.best) return 'No stored edits: the memory adds nothing.';
  const { overlap } = routing.best;
  return `Best-matching edit: ${quoted(routing.best)}, mask overlap ${overlap.toFixed(2)} ${routing.applied ? '≥' : '<'} τ = ${routing.tau}: memory ${routing.applied ? 'ON' : 'off'}.`;
}

export function seracRoutingText(routing: SeracRoutingSummary): string {
  if (!routing.best) return 'No stored edits: the base model answers.';
  const { score } = routing.best;
  return `Top-scoring edit: ${quoted(routing.best)}, scope score ${score.toFixed(2)} ${routing.applied ? '≥' : '<'} ${routing.threshold}: ${routing.applied ? 'the counterfactual model answers from this edit' : 'the base model answers'}.`;
}
