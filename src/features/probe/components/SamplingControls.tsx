// Greedy or temperature/top-p sampling (seeded, so a probe can be repeated exactly).
import type { Sampling } from '../../../worker/protocol';

export function SamplingControls({
  sampling,
  onChange,
}: {
  sampling: Sampling;
  onChange: (s: Sampling) => void;
}) {
  const sampled =
    sampling.kind === 'sample'
      ? sampling
      : { kind: 'sample' as const, temperature: 0.8, topP: 0.95, seed: 1 };
  return (
    <fieldset className="sampling">
      <legend>Decoding</legend>
      <label>
        <input
          type="radio"
          checked={sampling.kind === 'greedy'}
          onChange={() => onChange({ kind: 'greedy' })}
        />{' '}
        greedy
      </label>
      <label>
        <input type="radio" checked={sampling.kind === 'sample'} onChange={() => onChange(sampled)} /> sample
      </label>
      {sampling.kind === 'sample' && (
        <>
          <label>
            temperature{' '}
            <input
              type="number"
              min={0.05}
              max={2}
              step={0.05}
              value={sampling.temperature}
              onChange={(e) => onChange({ ...sampling, temperature: Number(e.target.value) })}
            />
          </label>
          <label>
            top-p{' '}
            <input
              type="number"
              min={0.05}
              max={1}
              step={0.05}
              value={sampling.topP}
              onChange={(e) => onChange({ ...sampling, topP: Number(e.target.value) })}
            />
          </label>
          <label>
            seed{' '}
            <input
              type="number"
              value={sampling.seed}
              onChange={(e) => onChange({ ...sampling, seed: Math.trunc(Number(e.target.value)) })}
            />
          </label>
        </>
      )}
    </fieldset>
  );
}
