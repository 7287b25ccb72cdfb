// The memory's gate τ, which the user may change: τ only decides at inference whether a prompt's
// best-matching edit switches the memory on, so a new τ takes effect at once and retrains nothing.
// Disabled while an edit trains (busy): the new τ would be stored after it, on the memory it leaves.
import { ThresholdForm } from '../../../components/ThresholdForm';
import type { MemoirStatus } from '../../../worker/protocol';

export function GateControl({
  config,
  defaultTau,
  busy,
  onSetTau,
}: {
  config: MemoirStatus['config'];
  /** The τ a new memory of this model starts with, which the user can go back to. */
  defaultTau: number;
  busy: boolean;
  onSetTau: (tau: number) => void;
}) {
  return (
    <div className="muted">
      <p>
        MEMOIR: the memory sits at layer {config.layer}, k = {config.k} of {config.H} columns (
        {config.pooling} pooling, {config.normalize}), gate τ ={' '}
        <span data-testid="memoir-tau">{config.tau}</span>: a prompt uses its best-matching edit when their
        mask overlap is at least τ. A lower τ reaches more paraphrases and more unrelated prompts (the
        Benchmark view measures both along τ).
      </p>
      <fieldset disabled={busy}>
        <ThresholdForm
          label="Gate τ"
          short="τ"
          value={config.tau}
          defaultValue={defaultTau}
          onSet={onSetTau}
        />
      </fieldset>
    </div>
  );
}
