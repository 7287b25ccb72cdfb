// One benchmark run in the worker, for either editor: the records of an uploaded edit file, or else the
// bundled facts benchmark (fetched); apply the first T as edits to a scratch editor with runSequentialEval
// (progress per phase, and per SGD step where the editor trains), re-measure the same edits along a grid
// of the editor's gate (progress 'sweep', one unit per value), and summarise as the Benchmark view shows
// it. The sessions build the scratch editor and name the grid; the user's stored edits are never touched.
import { measureGateSweep, type Gated } from '../eval/gate-sweep';
import { summarize } from '../eval/metrics';
import { fetchFactsBenchmark } from '../eval/facts-benchmark';
import { runSequentialEval } from '../eval/runner';
import type { BenchmarkParams, BenchmarkResult } from './protocol';
import type { CallContext } from './serve';

/** The edits of a lesson in a scratch memory (the sessions' lesson()): "lesson-1", "lesson-2", …;
 *  stored edits have UUIDs, so no probe can be scored against one of those by mistake. */
export const lessonEditId = (index: number) => `lesson-${index + 1}`;

export async function runBenchmark<E extends Gated<E>>(
  run: {
    method: BenchmarkResult['method'];
    /** An editor with no edits yet. */
    editor: E;
    modelId: string;
    /** The gate values to re-measure at, besides the editor's own. */
    grid: readonly number[];
  },
  { T, measure, records: given }: BenchmarkParams,
  ctx: CallContext,
): Promise<BenchmarkResult> {
  const { method, editor, modelId, grid } = run;
  const records = given ?? (await fetchFactsBenchmark());
  // runSequentialEval rejects a T or a sample size out of range with a SHAPE error naming the limits.
  const result = await runSequentialEval(editor, records, {
    T,
    measure,
    signal: ctx.signal,
    onProgress: (p) =>
      ctx.progress({
        status: 'progress',
        label: p.phase,
        loaded: p.done,
        total: p.total,
        ...(p.step === undefined ? {} : { metrics: { step: p.step, loss: p.loss ?? NaN } }),
      }),
  });
  const gates = [...new Set([...grid, editor.gate])].sort((a, b) => a - b);
  const sweep = await measureGateSweep(editor, gates, result.measured, result.baselines, {
    signal: ctx.signal,
    onGate: (_gate, index) =>
      ctx.progress({ status: 'progress', label: 'sweep', loaded: index, total: gates.length }),
  });
  return {
    method,
    modelId,
    T,
    measured: result.measured.length,
    summary: result.summary,
    byRelation: result.byRelation,
    millis: result.millis,
    meanSteps: result.edits.reduce((n, e) => n + e.steps, 0) / result.edits.length,
    gate: editor.gate,
    sweep: sweep.map((point) => ({ gate: point.gate, summary: summarize(point.perRecord) })),
  };
}
