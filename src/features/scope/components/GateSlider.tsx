// A what-if gate for the Scope view's results: a native range input (keyboard: arrows step 0.01) that
// relabels the probes as it moves, a way back to the value the run used, and "Use this …" to make it
// the value the editor routes with from now on.
export function GateSlider({
  label,
  short,
  value,
  runValue,
  storedValue,
  onChange,
  onStore,
}: {
  /** "What-if τ (MEMOIR)". */
  label: string;
  /** "τ", "threshold". */
  short: string;
  value: number;
  /** The value the probes were run at. */
  runValue: number;
  /** The value the editor routes with now. */
  storedValue: number;
  onChange: (value: number) => void;
  onStore: (value: number) => void;
}) {
  return (
    <div className="gate-slider">
      <label>
        {label}{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={value}
          onChange={(e) => onChange(Number(e.target.value))}
        />
      </label>{' '}
      <output>{value.toFixed(2)}</output>{' '}
      <button disabled={value === runValue} onClick={() => onChange(runValue)}>
        Back to the run&apos;s {short} ({runValue})
      </button>{' '}
      <button disabled={value === storedValue} onClick={() => onStore(value)}>
        Use this {short}
      </button>
      {storedValue !== runValue && (
        <span className="muted">
          {' '}
          Now routing with {short} = {storedValue}: probe again to compute the answers marked ?.
        </span>
      )}
    </div>
  );
}
