// The Benchmark view: run MEMOIR or SERAC on the first T records of the bundled facts benchmark or of an
// uploaded edit file (ZsRE, CounterFact, …), in this browser on this model, and read Rel/Gen/Loc as the
// eval CLI reports them. Edits go into a scratch memory, so the stored edits stay as they are.
import { CallFailed } from '../../components/CallFailed';
import { useState } from 'react';
import { BenchmarkPlots } from './components/BenchmarkPlots';
import { BenchmarkResults } from './components/BenchmarkResults';
import { EditFilePicker, type ChosenFile } from './components/EditFilePicker';
import { useBenchmarkRun, type BenchmarkMethod, type BenchmarkRun } from './hooks/useBenchmarkRun';
import { ModelLoading } from '../../components/ModelLoading';

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

/** A file name as part of a download's name: "zsre_mend_eval.json" -> "zsre_mend_eval". */
const fileStem = (name: string) => name.replace(/\.[^.]*$/, '').replace(/[^\w-]+/g, '_');

export function BenchmarkView() {
  const { modelReady, run, runs, start, cancel } = useBenchmarkRun();
  const [T, setT] = useState(DEFAULT_T);
  const [measure, setMeasure] = useState(DEFAULT_T);
  const [method, setMethod] = useState<BenchmarkMethod>('memoir');
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  if (!modelReady) return <ModelLoading then="run the facts benchmark (or your file) with MEMOIR or SERAC" />;
  const running = run.state === 'running';
  /** T is at most the file's record count (the bundled benchmark's is checked by the worker). */
  const maxT = chosen?.file.records.length;
  const valid =
    Number.isInteger(T) &&
    T >= 1 &&
    T <= (maxT ?? Infinity) &&
    Number.isInteger(measure) &&
    measure >= 1 &&
    measure <= T;
  const choose = (next: ChosenFile | null) => {
    setChosen(next);
    const t = Math.min(DEFAULT_T, next?.file.records.length ?? DEFAULT_T);
    setT(t);
    setMeasure(t);
  };
  return (
    <section>
      <h2>Benchmark</h2>
      <p className="muted">
        Applies the first T edits of the bundled facts benchmark (public/benchmarks/facts-edits.json) one
        after another with MEMOIR (trained into its memory) or SERAC (stored for its scope classifier), then
        measures how the edits hold: on their prompts, on paraphrases the edit never saw, and on prompts that
        must not change. The run uses a scratch memory: your stored edits are not used and not changed. Same
        runner as <code>npm run eval</code>. Or run on a file of your own: the project&apos;s records, or ZsRE
        and CounterFact as EasyEdit, MEMOIR, KnowEdit and ROME publish them.
      </p>
      <EditFilePicker chosen={chosen} onChosen={choose} disabled={running} />
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
          max={maxT}
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
      <button
        disabled={running || !valid}
        onClick={() =>
          start(method, T, measure, chosen && { name: chosen.name, records: chosen.file.records })
        }
      >
        {chosen ? `Run on ${chosen.name}` : 'Run benchmark'}
      </button>
      {!valid && (
        <p className="notice warn">
          T and the records measured must be whole numbers, with 1 ≤ measured ≤ T
          {maxT === undefined ? '' : ` ≤ ${maxT} (the file's records)`}.
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
      {run.state === 'done' && (
        <>
          <BenchmarkResults result={run.result} source={fileStem(run.source)} />
          <BenchmarkPlots result={run.result} source={run.source} runs={runs} />
        </>
      )}
    </section>
  );
}
