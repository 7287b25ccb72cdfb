// SERAC's scope threshold, which the user may change beside MEMOIR's τ: it only decides which prompts
// the counterfactual model answers, so a new threshold takes effect at the next prompt.
import { ThresholdForm } from '../../../components/ThresholdForm';
import type { SeracGate } from '../hooks/useSeracThreshold';

export function SeracGateControl({
  gate,
  onSetThreshold,
}: {
  gate: SeracGate;
  onSetThreshold: (threshold: number | null) => void;
}) {
  switch (gate.state) {
    case 'waiting':
      return null;
    case 'failed':
      return (
        <p className="muted" data-testid="serac-threshold-unavailable">
          SERAC threshold: {gate.message}
        </p>
      );
    case 'ready': {
      const { threshold, defaultThreshold, companions, problems } = gate.value;
      return (
        <div className="muted">
          {problems.map((problem) => (
            <p className="notice warn" key={problem}>
              {problem}
            </p>
          ))}
          <p>
            SERAC scores every stored edit against a prompt with its scope classifier; the counterfactual
            model answers when the best score is at least the threshold ={' '}
            <span data-testid="serac-threshold">{threshold}</span>, else the base model does. A lower
            threshold reaches more paraphrases and more unrelated prompts.
          </p>
          {!companions.trainedForBase && (
            <p className="notice warn" data-testid="serac-borrowed">
              SERAC edits this model with the bundled counterfactual ({companions.counterfactual}) and scope (
              {companions.scope}) models, trained only on the facts the bundled model was taught (its card
              lists them): an edit of another kind may be scoped or answered poorly. MEMOIR edits any kind.
            </p>
          )}
          <ThresholdForm
            key={threshold}
            label="SERAC threshold"
            short="threshold"
            value={threshold}
            defaultValue={defaultThreshold}
            onSet={(value) => onSetThreshold(value === defaultThreshold ? null : value)}
          />
        </div>
      );
    }
  }
}
