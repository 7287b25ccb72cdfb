// Base vs MEMOIR, side by side, with the best-matching stored edit and its mask overlap against τ.
import type { CompareState } from '../hooks/useMemoirCompare';

export function ComparePanel({ compare }: { compare: CompareState }) {
  if (compare.state === 'idle') return null;
  if (compare.state === 'running') return <p className="muted">Comparing base and MEMOIR…</p>;
  if (compare.state === 'failed') {
    return (
      <p className="notice error">
        Comparison failed ({compare.code}): {compare.message}
      </p>
    );
  }
  const { base, edited, routing } = compare.result;
  return (
    <div className="compare" data-testid="compare">
      <div>
        <h3>Base model</h3>
        <p data-testid="base-output">
          <span className="muted">{compare.prompt}</span>
          <b>{base}</b>
        </p>
      </div>
      <div>
        <h3>With MEMOIR</h3>
        <p data-testid="memoir-output">
          <span className="muted">{compare.prompt}</span>
          <b>{edited}</b>
        </p>
      </div>
      <p className="routing" data-testid="routing">
        {routing.best
          ? `Best-matching edit: “${routing.best.prompt}” → “${routing.best.target.trim()}”, mask overlap ${routing.best.overlap.toFixed(2)} ${routing.applied ? '≥' : '<'} τ = ${routing.tau}: memory ${routing.applied ? 'ON' : 'off'}.`
          : 'No stored edits: the memory adds nothing.'}
      </p>
    </div>
  );
}
