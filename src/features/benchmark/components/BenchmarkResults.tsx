// The metrics of one benchmark run, each with what it measures, and where the time went.
import type { BenchmarkResult } from '../../../worker/protocol';

const METRICS = [
  ['rel', 'Reliability (Rel)', 'the edit prompt gives the new answer'],
  ['gen', 'Generalization (Gen)', 'held-out paraphrases of the edit prompt give the new answer'],
  ['loc', 'Locality (Loc)', 'other facts keep the answers they had before any edit'],
  ['neighborhood', 'Neighborhood', 'the same relation of another subject keeps its answer'],
  ['em', 'Exact match', 'the greedy continuation of the edit prompt starts with the new answer'],
  ['relBefore', 'Rel before editing', 'how often the model already gave the new answer'],
] as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function BenchmarkResults({ result }: { result: BenchmarkResult }) {
  const { summary, millis } = result;
  return (
    <>
      <p>
        {result.T} edits applied one after another to {result.modelId}; {result.measured} of them measured
        after the last edit. Token accuracy as EasyEdit measures it (1 = every target token right).
      </p>
      <table className="facts" data-testid="benchmark-metrics">
        <thead>
          <tr>
            <th>Metric</th>
            <th>Value</th>
            <th>Measures whether</th>
          </tr>
        </thead>
        <tbody>
          {METRICS.map(([key, name, meaning]) => {
            const value = summary[key];
            return (
              <tr key={key}>
                <td>{name}</td>
                <td>{value === null ? '—' : value.toFixed(2)}</td>
                <td className="muted">{meaning}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        Editing took {seconds(millis.edit)} ({seconds(millis.edit / result.T)} and{' '}
        {result.meanSteps.toFixed(1)} SGD steps per edit); answers before editing {seconds(millis.baseline)},
        measuring {seconds(millis.measure)}.
      </p>
    </>
  );
}
