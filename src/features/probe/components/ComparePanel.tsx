// Base vs MEMOIR, side by side, with the best-matching stored edit and its mask overlap against τ, and
// the most likely next tokens of each (how far an edit moved the probabilities, not only the top one).
import { CallFailed } from '../../../components/CallFailed';
import { Completion } from '../../../components/Completion';
import { memoirRoutingText } from '../../../components/routing-text';
import type { TokenProbability } from '../../../worker/protocol';
import type { CompareState } from '../hooks/useMemoirCompare';

/** A token as text with its leading space shown (␣), so " Paris" and "Paris" are told apart. */
const shown = (token: string) => token.replace(/^ /, '␣');

function NextTokens({ base, edited }: { base: TokenProbability[]; edited: TokenProbability[] }) {
  return (
    <table className="facts" data-testid="next-tokens">
      <thead>
        <tr>
          <th>Next token: base model</th>
          <th>
            <span className="visually-hidden">Probability</span>
          </th>
          <th>with MEMOIR</th>
          <th>
            <span className="visually-hidden">Probability</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {base.map((b, i) => (
          <tr key={i}>
            <td>{shown(b.token)}</td>
            <td>{(100 * b.p).toFixed(1)}%</td>
            <td>{shown(edited[i].token)}</td>
            <td>{(100 * edited[i].p).toFixed(1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ComparePanel({ compare }: { compare: CompareState }) {
  if (compare.state === 'idle') return null;
  if (compare.state === 'running') return <p className="muted">Comparing base and MEMOIR…</p>;
  if (compare.state === 'failed') {
    return <CallFailed what="Comparison" failure={compare} />;
  }
  const { base, edited, routing, next } = compare.result;
  return (
    <div className="compare" data-testid="compare">
      <Completion title="Base model" prompt={compare.prompt} answer={base} testId="base-output" />
      <Completion title="With MEMOIR" prompt={compare.prompt} answer={edited} testId="memoir-output" />
      <p className="routing" data-testid="routing">
        {memoirRoutingText(routing)}
      </p>
      <NextTokens base={next.base} edited={next.edited} />
    </div>
  );
}
