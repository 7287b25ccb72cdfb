// The Benchmark view: run MEMOIR or SERAC on the first T records of the bundled facts benchmark, in this
// browser on this model, and read Rel/Gen/Loc as the eval CLI reports them. Edits go into a scratch
// memory, so the stored edits stay as they are.
import { CallFailed } from '../../components/CallFailed';
import { useState } from 'react';
import { BenchmarkResults } from './components/BenchmarkResults';
import { useBenchmarkRun, type BenchmarkMethod, type BenchmarkRun } from './hooks/useBenchmarkRun';

const DEFAULT_T = 10;

function describeProgress(run: Extract<BenchmarkRun, { state: 'running' }>): string {
  const { T, measure, done } = run;
  switch (run.phase) {
    case 'baseline':
      return `Recording answers before editing: ${done} of ${measure} records`;
    case 'edit': {
      const record = Math.min(T, done - measure + 1);
      const verb = run.method === 'serac' ? 'Storing' : 'Editing';
      return `${verb} record ${record} of ${T}${run.step === null ? '' : `, SGD step ${run.step}`}`;
    }
    case 'measure':
      return `Measuring after all edits: ${done - measure - T} of ${measure} records`;
    case 'sweep':
      return `Re-measuring the same edits with the gate at other values: ${done} of ${run.total}`;
  }
}

export function BenchmarkView() {
  const { modelReady, run, start, cancel } = useBenchmarkRun();
  const [T, setT] = useState(DEFAULT_T);
  const [measure, setMeasure] = useState(DEFAULT_T);
  const [method, setMethod] = useState<BenchmarkMethod>('memoir');
  if (!modelReady) return <p className="notice warn">The model is not loaded yet (see Models).</p>;
  const running = run.state === 'running';
  const valid = Number.isInteger(T) && T >= 1 && Number.isInteger(measure) && measure >= 1 && measure <= T;
  return (
    <section>
      <h2>Benchmark</h2>
      <p className="muted">
        Applies the first T edits of the bundled facts benchmark (public/benchmarks/facts-edits.json) one
        after another with MEMOIR (trained into its memory) or SERAC (stored for its scope classifier), then
        measures how the edits hold: on their prompts, on paraphrases the edit never saw, and on prompts that
        must not change. The run uses a scratch memory: your stored edits are not used and not changed. Same
        runner as <code>npm run eval</code>.
      </p>
      <label>
        Editor{' '}
        <select
          value={method}
          disabled={running}
          onChange={(e) => setMethod(e.target.value as BenchmarkMethod)}
        >
          <option value="memoir">MEMOIR</option>
          <option value="serac">SERAC</option>
        </select>
      </label>{' '}
      <label>
        Edits (T){' '}
        <input
          type="number"
          min={1}
          value={T}
          disabled={running}
          onChange={(e) => {
            const next = Number(e.target.value);
            setT(next);
            setMeasure((m) => Math.min(m, Math.max(1, next)));
          }}
        />
      </label>{' '}
      <label>
        Records measured{' '}
        <input
          type="number"
          min={1}
          max={T}
          value={measure}
          disabled={running}
          onChange={(e) => setMeasure(Number(e.target.value))}
        />
      </label>{' '}
      <button disabled={running || !valid} onClick={() => start(method, T, measure)}>
        Run benchmark
      </button>
      {!valid && (
        <p className="notice warn">
          T and the records measured must be whole numbers, with 1 ≤ measured ≤ T.
        </p>
      )}
      {running && (
        <p>
          <progress max={run.total} value={run.done} />{' '}
          <span data-testid="benchmark-progress">{describeProgress(run)}</span>{' '}
          <button onClick={cancel}>Cancel</button>
        </p>
      )}
      {run.state === 'cancelled' && <p className="notice warn">Cancelled; nothing was stored.</p>}
      {run.state === 'failed' && <CallFailed what="The benchmark" failure={run} />}
      {run.state === 'done' && <BenchmarkResults result={run.result} />}
    </section>
  );
}
