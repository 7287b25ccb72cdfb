// Base vs MEMOIR, side by side, with the best-matching stored edit and its mask overlap against τ.
import { CallFailed } from '../../../components/CallFailed';
import { Completion } from '../../../components/Completion';
import { memoirRoutingText } from '../../../components/routing-text';
import type { CompareState } from '../hooks/useMemoirCompare';

export function ComparePanel({ compare }: { compare: CompareState }) {
  if (compare.state === 'idle') return null;
  if (compare.state === 'running') return <p className="muted">Comparing base and MEMOIR…</p>;
  if (compare.state === 'failed') {
    return <CallFailed what="Comparison" failure={compare} />;
  }
  const { base, edited, routing } = compare.result;
  return (
    <div className="compare" data-testid="compare">
      <Completion title="Base model" prompt={compare.prompt} answer={base} testId="base-output" />
      <Completion title="With MEMOIR" prompt={compare.prompt} answer={edited} testId="memoir-output" />
      <p className="routing" data-testid="routing">
        {memoirRoutingText(routing)}
      </p>
    </div>
  );
}
