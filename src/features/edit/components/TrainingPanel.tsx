// Live view of an edit's training: step, loss and the probability of the new target, with Cancel; before
// the first edit of a model never calibrated, the calibration's progress.
import { CallFailed } from '../../../components/CallFailed';
import { ProgressList } from '../../../components/ProgressList';
import type { Training } from '../hooks/useMemoirEdits';

export function TrainingPanel({ training, onCancel }: { training: Training; onCancel: () => void }) {
  switch (training.state) {
    case 'idle':
      return null;
    case 'running': {
      const last = training.steps.at(-1);
      return (
        <div className="notice" data-testid="training">
          {training.batch && `Edit ${training.batch.index + 1} of ${training.batch.total}: `}
          Training “{training.prompt}” → “{training.target}”:{' '}
          {last
            ? `step ${last.step}/${last.total}, loss ${last.loss.toFixed(3)}, p(target) ${last.targetProb.toFixed(3)}`
            : training.calibrating
              ? 'calibrating first…'
              : 'computing the mask…'}{' '}
          <button onClick={onCancel}>Cancel</button>
          {last && <progress max={last.total} value={last.step} />}
          {training.calibrating && !last && (
            <div data-testid="training-calibration">
              First, MEMOIR is calibrated for this model (once; stored for its next edits):
              <ProgressList progress={training.calibrating} />
            </div>
          )}
        </div>
      );
    }
    case 'done':
      return (
        <p className="notice ok" data-testid="training-done">
          {training.batch && `Edit ${training.batch.index + 1} of ${training.batch.total}: `}
          Edit applied in {training.edit.steps} steps (final loss {training.edit.finalLoss.toFixed(3)}).
        </p>
      );
    case 'cancelled':
      return <p className="notice warn">Edit cancelled; the memory is exactly as it was before.</p>;
    case 'failed':
      return <CallFailed what="Edit" failure={training} testId="training-error" />;
    default: {
      const unreachable: never = training;
      return unreachable;
    }
  }
}
