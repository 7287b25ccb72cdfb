// One run of the bundled facts benchmark in the worker, for either editor: fetch the records, apply the
// first T as edits to a scratch editor with runSequentialEval (progress per phase, and per SGD step
// where the editor trains), and summarise as the Benchmark view shows it. The sessions build the
// scratch editor and add what is theirs (MEMOIR: the τ sweep); the user's stored edits are never used
// or changed.
import { EngineError } from '../engine/errors';
import type { EditMethod } from '../eval/method';
import { parseRecords } from '../eval/records';
import { runSequentialEval, type RunResult } from '../eval/runner';
import type { BenchmarkRunSummary, ParamsOf } from './protocol';
import type { CallContext } from './serve';

/** The bundled facts benchmark (ZsRE-like records, public/benchmarks/README.md). */
const BENCHMARK_URL = '/benchmarks/facts-edits.json';

export async function runBenchmark(
  editor: EditMethod,
  modelId: string,
  { T, measure }: ParamsOf<'memoirBenchmark'>,
  ctx: CallContext,
): Promise<{ summary: BenchmarkRunSummary; run: RunResult }> {
  const records = parseRecords(await fetchAppJson(BENCHMARK_URL), BENCHMARK_URL);
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
  const summary = {
    modelId,
    T,
    measured: result.measured.length,
    summary: result.summary,
    byRelation: result.byRelation,
    millis: result.millis,
    meanSteps: result.edits.reduce((n, e) => n + e.steps, 0) / result.edits.length,
  };
  return { summary, run: result };
}

/** JSON the app serves itself; a failed fetch says which file and how to recover. */
export async function fetchAppJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new EngineError('LOAD', `${url} answered ${response.status}`, 'reload the app');
  return response.json();
}
