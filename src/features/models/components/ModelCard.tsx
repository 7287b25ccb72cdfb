// Summary of the loaded model: architecture, size, where it runs, what its weights take, and where
// this load's files came from (cache or network).
import type { ModelSummary } from '../../../worker/protocol';
import { describeSource } from '../../../models/hub';
import { formatBytes } from '../known-sizes';

export function ModelCard({ summary }: { summary: ModelSummary }) {
  const rows: [string, string][] = [
    ['Model', describeSource(summary.source)],
    ['Architecture', `${summary.architecture}, ${summary.layers} layers, hidden ${summary.hidden}`],
    ['Parameters', `${(summary.parameters / 1e6).toFixed(2)} M`],
    ['Vocabulary', String(summary.vocabSize)],
    ['Backend', summary.backend],
    ['Precision', summary.precision],
    ['Weights in memory', `${(summary.weightBytes / 1048576).toFixed(1)} MiB`],
    ['Load time', `${(summary.loadMillis / 1000).toFixed(1)} s`],
  ];
  if (summary.files.length > 0)
    rows.push([
      'Files',
      summary.files.map((f) => `${f.file} ${formatBytes(f.bytes)} from ${f.from}`).join(', '),
    ]);
  return (
    <table className="facts" data-testid="model-card">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
