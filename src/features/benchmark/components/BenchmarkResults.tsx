// The metrics of one benchmark run, each with what it measures, and where the time went; each table can
// be downloaded as CSV or JSON.
import { Fragment } from 'react';
import type { BenchmarkResult } from '../../../worker/protocol';
import { GATE_SYMBOL, METRICS, RELATION_COLUMNS, resultTables, type ResultTable } from '../tables';
import { TableDownloads } from './TableDownloads';

/** What Loc on each kind of locality prompt (DESIGN §6) measures; a benchmark may name other kinds. */
const LOC_KIND_MEANING: Readonly<Record<string, string>> = {
  fact: 'facts of other relations keep their answers',
  text: 'general text keeps its continuation',
  nq: "Natural Questions (ZsRE's loc) keep their answers",
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fixed2 = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/** `source` names the edits run in the downloaded files' names ("facts", or the uploaded file's name). */
export function BenchmarkResults({ result, source }: { result: BenchmarkResult; source: string }) {
  const { summary, millis } = result;
  const tables = new Map(resultTables(result).map((t) => [t.id, t]));
  const stem = `benchmark-${source}-${result.method}-T${result.T}`;
  const downloads = (id: ResultTable['id']) => <TableDownloads table={tables.get(id)!} stem={stem} />;
  return (
    <>
      <p>
        {result.T} edits applied one after another by {result.method.toUpperCase()} to {result.modelId} (
        {GATE[result.method].name} {result.gate}); {result.measured} of them measured after the last edit.
        Token accuracy as EasyEdit measures it (1 = every target token right).
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
          {METRICS.map(([key, name, meaning]) => (
            <Fragment key={key}>
              <tr>
                <td>{name}</td>
                <td>{fixed2(summary[key])}</td>
                <td className="muted">{meaning}</td>
              </tr>
              {key === 'loc' &&
                Object.entries(summary.locByKind).map(([kind, value]) => (
                  <tr key={kind} data-testid={`loc-${kind}`}>
                    <td>&nbsp;&nbsp;Loc, {kind} prompts</td>
                    <td>{fixed2(value)}</td>
                    <td className="muted">
                      {LOC_KIND_MEANING[kind] ?? `locality prompts of kind "${kind}"`}
                    </td>
                  </tr>
                ))}
            </Fragment>
          ))}
        </tbody>
      </table>
      {downloads('metrics')}
      {result.byRelation.length > 0 && (
        <>
          <ByRelation result={result} />
          {downloads('by-relation')}
        </>
      )}
      <GateSweepTable result={result} />
      {downloads('gate-sweep')}
      <p className="muted">
        {result.method === 'memoir'
          ? `Editing took ${seconds(millis.edit)} (${seconds(millis.edit / result.T)} and ${result.meanSteps.toFixed(1)} SGD steps per edit)`
          : `Storing the edits took ${seconds(millis.edit)} (SERAC trains nothing)`}
        ; answers before editing {seconds(millis.baseline)}, measuring {seconds(millis.measure)}.
      </p>
    </>
  );
}

/** The same metrics per relation: where an editor fails (a relation whose facts share a few answers,
 *  like continents, is much harder to route than capitals). */
function ByRelation({ result }: { result: BenchmarkResult }) {
  return (
    <table className="facts" data-testid="benchmark-by-relation">
      <caption>By relation of the measured records</caption>
      <thead>
        <tr>
          <th>Relation</th>
          <th>Records</th>
          {RELATION_COLUMNS.map(([key, name]) => (
            <th key={key}>{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {result.byRelation.map(({ relation, summary }) => (
          <tr key={relation}>
            <td>{relation}</td>
            <td>{summary.records}</td>
            {RELATION_COLUMNS.map(([key]) => (
              <td key={key}>{fixed2(summary[key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How each editor gates: what its gate value is called and what it compares. */
const GATE = {
  memoir: {
    name: 'gate τ',
    symbol: GATE_SYMBOL.memoir,
    rule: 'a prompt uses its best-matching edit when their mask overlap is at least τ',
  },
  serac: {
    name: 'scope threshold',
    symbol: GATE_SYMBOL.serac,
    rule: 'the counterfactual model answers when the best scope score is at least the threshold',
  },
} as const;

/** The same edits with the gate at other values: the gate only decides at inference whether a prompt's
 *  best-matching edit is used, so lowering it reaches more paraphrases (Gen rises) and more unrelated
 *  prompts (Loc falls). The trade-off of the MEMOIR paper's τ, and of SERAC's threshold, on this run. */
function GateSweepTable({ result }: { result: BenchmarkResult }) {
  const { symbol, rule } = GATE[result.method];
  return (
    <table className="facts" data-testid="benchmark-gate-sweep">
      <caption>
        The same edits with the {symbol} at other values ({rule}; this run&apos;s {symbol} is {result.gate})
      </caption>
      <thead>
        <tr>
          <th>{symbol}</th>
          {RELATION_COLUMNS.map(([key, name]) => (
            <th key={key}>{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {result.sweep.map((point) => (
          <tr key={point.gate} data-testid={point.gate === result.gate ? 'gate-current' : undefined}>
            <td>{point.gate === result.gate ? <strong>{point.gate} (this run)</strong> : point.gate}</td>
            {RELATION_COLUMNS.map(([key]) => (
              <td key={key}>{fixed2(point.summary[key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
