// Owns the Benchmark view's one worker call: a run by MEMOIR or SERAC on the bundled facts benchmark or on
// an uploaded file's records, with its phase progress (and the current edit's SGD step) and cancel.
import { useCallback, useRef, useState } from 'react';
import { callFailure, type CallFailure } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { BenchRecord } from '../../../eval/records';
import type { BenchmarkResult } from '../../../worker/protocol';
import type { RunSummary } from '../plot-rows';

export type BenchmarkMethod = BenchmarkResult['method'];

/** The worker call that runs each editor on the benchmark. */
const CALLS = { memoir: 'memoirBenchmark', serac: 'seracBenchmark' } as const;

/** runSequentialEval's phases, then the same edits re-measured at each value of a gate sweep. */
export type BenchmarkPhase = 'baseline' | 'edit' | 'measure' | 'sweep';

export type BenchmarkRun =
  | { state: 'idle' }
  | {
      state: 'running';
      method: BenchmarkMethod;
      T: number;
      /** Records measured (and recorded before editing). */
      measure: number;
      phase: BenchmarkPhase;
      /** Units done of T + 2·measure (runSequentialEval's progress); in 'sweep', gate values done of the grid's. */
      done: number;
      total: number;
      step: number | null;
    }
  | {
      state: 'done';
      result: BenchmarkResult;
      /** What the edits came from: "facts" (the bundled benchmark) or the uploaded file's name. */
      source: string;
    }
  | CallFailure;

const PHASES: readonly string[] = ['baseline', 'edit', 'measure', 'sweep'] satisfies BenchmarkPhase[];

export function useBenchmarkRun() {
  const client = useEngineClient();
  const { active: model } = useModel();
  const [run, setRun] = useState<BenchmarkRun>({ state: 'idle' });
  /** Every finished run of this visit, for the metrics over T. */
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(
    /** `file`: an uploaded file's records (null: the bundled facts benchmark). */
    (
      method: BenchmarkMethod,
      T: number,
      measure: number,
      file: { name: string; records: readonly BenchRecord[] } | null,
    ) => {
      const own = new AbortController();
      controller.current = own;
      const running = { state: 'running', method, T, measure: Math.min(T, measure) } as const;
      setRun({ ...running, phase: 'baseline', done: 0, total: T + 2 * running.measure, step: null });
      client
        .call(
          CALLS[method],
          // Only the first T records are edited or measured: the rest need not cross to the worker.
          file ? { T, measure, records: file.records.slice(0, T) } : { T, measure },
          {
            signal: own.signal,
            onProgress: (p) => {
              if (!PHASES.includes(p.label)) return;
              setRun({
                ...running,
                phase: p.label as BenchmarkPhase,
                done: p.loaded,
                total: p.total,
                step: p.metrics?.step ?? null,
              });
            },
          },
        )
        .then(
          (result) => {
            const source = file?.name ?? 'facts';
            setRun({ state: 'done', result, source });
            setRuns((rs) => [
              ...rs,
              { method, source, T: result.T, gate: result.gate, summary: result.summary },
            ]);
          },
          (error: { code?: string; message: string }) => setRun(callFailure(error)),
        );
    },
    [client],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { modelReady: model !== null, run, runs, start, cancel };
}
