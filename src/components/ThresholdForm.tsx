// A gate value in [0, 1] the user can set, or send back to its default: MEMOIR's τ and SERAC's scope
// threshold. The draft is checked as typed; only a valid, changed value can be set.
import { useState } from 'react';

export function ThresholdForm({
  label,
  short,
  value,
  defaultValue,
  onSet,
}: {
  /** The input's label ("Gate τ"). */
  label: string;
  /** What the buttons call it ("τ"): "Set τ", "Reset τ to this model's default (…)". */
  short: string;
  value: number;
  /** The value a fresh start has, which the user can go back to. */
  defaultValue: number;
  onSet: (value: number) => void;
}) {
  const [draft, setDraft] = useState(String(value));
  const parsed = Number(draft);
  const valid = draft.trim() !== '' && Number.isFinite(parsed) && parsed >= 0 && parsed <= 1;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onSet(parsed);
      }}
    >
      <label>
        {label}{' '}
        <input
          type="number"
          min={0}
          max={1}
          step={0.01}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>{' '}
      <button type="submit" disabled={!valid || parsed === value}>
        Set {short}
      </button>{' '}
      <button type="button" disabled={value === defaultValue} onClick={() => onSet(defaultValue)}>
        Reset {short} to this model&apos;s default ({defaultValue})
      </button>
      {!valid && <span className="notice warn"> {label} must be a number from 0 to 1.</span>}
    </form>
  );
}
