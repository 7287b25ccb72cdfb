// The memory's gate τ, which the user may change: τ only decides at inference whether a prompt's
// best-matching edit switches the memory on, so a new τ takes effect at once and retrains nothing.
import { useState } from 'react';
import type { MemoirStatus } from '../../../worker/protocol';

export function GateControl({
  config,
  defaultTau,
  onSetTau,
}: {
  config: MemoirStatus['config'];
  /** The τ a new memory of this model starts with, which the user can go back to. */
  defaultTau: number;
  onSetTau: (tau: number) => void;
}) {
  const [draft, setDraft] = useState(String(config.tau));
  const tau = Number(draft);
  const valid = draft.trim() !== '' && Number.isFinite(tau) && tau >= 0 && tau <= 1;
  return (
    <div className="muted">
      <p>
        Memory at layer {config.layer}, k = {config.k} of {config.H} columns ({config.pooling} pooling,{' '}
        {config.normalize}), gate τ = <span data-testid="memoir-tau">{config.tau}</span>: a prompt uses its
        best-matching edit when their mask overlap is at least τ. A lower τ reaches more paraphrases and more
        unrelated prompts (the Benchmark view measures both along τ).
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onSetTau(tau);
        }}
      >
        <label>
          Gate τ{' '}
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>{' '}
        <button type="submit" disabled={!valid || tau === config.tau}>
          Set τ
        </button>{' '}
        <button type="button" disabled={config.tau === defaultTau} onClick={() => onSetTau(defaultTau)}>
          Back to this model&apos;s default ({defaultTau})
        </button>
        {!valid && <span className="notice warn"> τ must be a number from 0 to 1.</span>}
      </form>
    </div>
  );
}
