// A benchmark run drawn: Rel/Gen/Loc/Neighborhood against the gate (τ for MEMOIR, the scope threshold
// for SERAC) from the run's sweep with this run's gate marked, per relation as bars, and over T when
// this visit has runs of the same editor, edits and gate at two T or more. Each plot has its values as
// a table (src/components/plots); the result tables above stay the reference.
import { useMemo } from 'react';
import { MetricBars } from '../../../components/plots/MetricBars';
import { MetricLines } from '../../../components/plots/MetricLines';
import type { BenchmarkResult } from '../../../worker/protocol';
import { PLOTTED, relationRows, rowsOverT, sweepRows, type RunSummary } from '../plot-rows';
import { GATE_SYMBOL } from '../tables';

export function BenchmarkPlots({
  result,
  source,
  runs,
}: {
  result: BenchmarkResult;
  source: string;
  /** This visit's finished runs, this one included. */
  runs: readonly RunSummary[];
}) {
  const symbol = GATE_SYMBOL[result.method];
  const editor = result.method.toUpperCase();
  const sweep = useMemo(() => sweepRows(result), [result]);
  const relations = useMemo(() => relationRows(result), [result]);
  const marked = useMemo(
    () => ({ x: result.gate, label: `${symbol} = ${result.gate} (this run)` }),
    [result, symbol],
  );
  const overT = useMemo(
    () => rowsOverT(runs, { method: result.method, source, gate: result.gate }),
    [runs, result, source],
  );
  return (
    <div className="benchmark-plots">
      <MetricLines
        caption={`${editor}: the same ${result.T} edits measured with the ${symbol} at other values (the trade-off)`}
        rows={sweep}
        series={PLOTTED}
        xName={symbol}
        marked={marked}
        testId="benchmark-plot-sweep"
      />
      {relations.length > 0 && (
        <MetricBars
          caption={`${editor} at ${symbol} = ${result.gate}, per relation of the measured records`}
          rows={relations}
          series={PLOTTED}
          xName="relation"
          testId="benchmark-plot-relations"
        />
      )}
      {overT.length >= 2 && (
        <MetricLines
          caption={`${editor} at ${symbol} = ${result.gate} over the number of edits T (this visit's runs on ${source})`}
          rows={overT}
          series={PLOTTED}
          xName="T"
          testId="benchmark-plot-over-t"
        />
      )}
    </div>
  );
}
