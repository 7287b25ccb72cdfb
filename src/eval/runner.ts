// The sequential-editing evaluation shared by the UI, the CLI and the benchmarks: record pre-edit
// predictions, apply T edits one after another, then measure Rel/Gen/Loc/Neighborhood/EM after all T
// (on every edited record, or on an evenly spaced sample of them when measuring all would take too long).
// Progress is one monotone stream (done never decreases, ends at total); cancel stops between model calls.

import { EngineError, throwIfAborted } from '../engine/errors';
import type { EditMethod, EditOutcome } from './method';
import {
  agreement,
  exactMatch,
  mean,
  summarize,
  summarizeByRelation,
  tokenAccuracy,
  type RecordMetrics,
  type RelationSummary,
  type Summary,
} from './metrics';
import type { BenchRecord, PromptAnswer } from './records';

export type RunPhase = 'baseline' | 'edit' | 'measure';

export interface RunProgress {
  readonly phase: RunPhase;
  /** Units of work done of total over the whole run (one unit = one record in one phase). */
  readonly done: number;
  readonly total: number;
  /** During 'edit': the record being edited and its latest training step. */
  readonly editId?: string;
  readonly step?: number;
  readonly loss?: number;
}

export interface RunOptions {
  /** Edits applied in sequence: the first T records. */
  readonly T: number;
  /** Records measured after the T edits: all T (default), or an evenly spaced sample of this many
   *  (see measuredIndices). All T edits are applied either way; the sample only saves measuring time. */
  readonly measure?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RunProgress) => void;
}

export interface RunResult {
  readonly method: string;
  readonly T: number;
  readonly summary: Summary;
  /** The summary per relation, when the records name their relations. */
  readonly byRelation: readonly RelationSummary[];
  readonly perRecord: readonly RecordMetrics[];
  readonly edits: readonly EditOutcome[];
  readonly millis: { readonly baseline: number; readonly edit: number; readonly measure: number };
  /** The records measured and their pre-edit baselines, to re-measure with measureRecords. */
  readonly measured: readonly BenchRecord[];
  readonly baselines: readonly Baseline[];
}

/** A record's pre-edit predictions, which Loc and Neighborhood compare against. */
export interface Baseline {
  readonly relBefore: number;
  readonly locality: Int32Array[];
  readonly neighborhood: Int32Array[];
}

async function predictions(
  method: EditMethod,
  pairs: readonly PromptAnswer[] | undefined,
): Promise<Int32Array[]> {
  const out: Int32Array[] = [];
  for (const p of pairs ?? []) out.push((await method.teacherForced(p.prompt, p.answer)).predicted);
  return out;
}

/** Post- vs pre-edit agreement of each prompt of `pairs`. */
async function agreements(
  method: EditMethod,
  pairs: readonly PromptAnswer[] | undefined,
  pre: Int32Array[],
): Promise<number[]> {
  const post = await predictions(method, pairs);
  return post.map((p, i) => agreement(pre[i], p));
}

const meanOrNull = (xs: readonly number[]): number | null => (xs.length === 0 ? null : mean(xs));

/** Mean agreement per kind, over the prompts that name one. */
function byKind(pairs: readonly PromptAnswer[], scores: readonly number[]): Record<string, number> {
  const kinds = [...new Set(pairs.flatMap((p) => (p.kind === undefined ? [] : [p.kind])))].sort();
  return Object.fromEntries(kinds.map((k) => [k, mean(scores.filter((_, i) => pairs[i].kind === k))]));
}

/** Indices of M records spread evenly over the T edited ones (first, then every T/M-th): early edits
 *  that saw many later ones and late ones alike. All of them when M >= T. */
export function measuredIndices(T: number, M: number): number[] {
  if (!Number.isInteger(M) || M < 1) {
    throw new EngineError('SHAPE', `eval: the measured sample must be a positive integer, got ${M}`);
  }
  const count = Math.min(M, T);
  return Array.from({ length: count }, (_, i) => Math.floor((i * T) / count));
}

export async function runSequentialEval(
  method: EditMethod,
  records: readonly BenchRecord[],
  opts: RunOptions,
): Promise<RunResult> {
  const { T, signal } = opts;
  if (!Number.isInteger(T) || T < 1 || T > records.length) {
    throw new EngineError(
      'SHAPE',
      `eval: T must be an integer in [1, ${records.length}] (the number of records), got ${T}`,
    );
  }
  const chosen = records.slice(0, T);
  const measured = measuredIndices(T, opts.measure ?? T).map((i) => chosen[i]);
  const total = T + 2 * measured.length;
  let done = 0;
  const report = (phase: RunPhase, extra: Partial<RunProgress> = {}) =>
    opts.onProgress?.({ phase, done, total, ...extra });
  const clock = { baseline: 0, edit: 0, measure: 0 };

  let started = performance.now();
  const baselines: Baseline[] = [];
  for (const r of measured) {
    throwIfAborted(signal, 'eval: baseline');
    baselines.push({
      relBefore: tokenAccuracy(await method.teacherForced(r.prompt, r.target_new)),
      locality: await predictions(method, r.locality),
      neighborhood: await predictions(method, r.neighborhood),
    });
    done++;
    report('baseline');
  }
  clock.baseline = performance.now() - started;

  started = performance.now();
  const edits: EditOutcome[] = [];
  for (const r of chosen) {
    throwIfAborted(signal, 'eval: edits');
    const onStep = (s: { step: number; loss: number }) =>
      report('edit', { editId: r.id, step: s.step, loss: s.loss });
    edits.push(
      await method.applyEdit({ id: r.id, prompt: r.prompt, target: r.target_new }, { signal, onStep }),
    );
    done++;
    report('edit', { editId: r.id });
  }
  clock.edit = performance.now() - started;

  started = performance.now();
  const perRecord = await measureRecords(method, measured, baselines, {
    signal,
    onRecord: () => {
      done++;
      report('measure');
    },
  });
  clock.measure = performance.now() - started;
  return {
    method: method.name,
    T,
    summary: summarize(perRecord),
    byRelation: summarizeByRelation(perRecord),
    perRecord,
    edits,
    millis: clock,
    measured,
    baselines,
  };
}

/** Rel/Gen/Loc/Neighborhood/EM of each record on the method as it stands, against the pre-edit
 *  `baselines` (one per record). Also used to re-measure one trained memory under other settings. */
export async function measureRecords(
  method: EditMethod,
  records: readonly BenchRecord[],
  baselines: readonly Baseline[],
  opts: { signal?: AbortSignal; onRecord?: () => void } = {},
): Promise<RecordMetrics[]> {
  const perRecord: RecordMetrics[] = [];
  for (const [i, r] of records.entries()) {
    throwIfAborted(opts.signal, 'eval: measuring');
    const rel = await method.teacherForced(r.prompt, r.target_new);
    let gen: number | null = null;
    if (r.rephrases.length > 0) {
      let sum = 0;
      for (const p of r.rephrases) sum += tokenAccuracy(await method.teacherForced(p, r.target_new));
      gen = sum / r.rephrases.length;
    }
    const loc = await agreements(method, r.locality, baselines[i].locality);
    perRecord.push({
      id: r.id,
      ...(r.relation === undefined ? {} : { relation: r.relation }),
      rel: tokenAccuracy(rel),
      gen,
      loc: meanOrNull(loc),
      locByKind: byKind(r.locality, loc),
      neighborhood: meanOrNull(await agreements(method, r.neighborhood, baselines[i].neighborhood)),
      em: exactMatch(await method.greedy(r.prompt, rel.target.length), rel.target),
      relBefore: baselines[i].relBefore,
    });
    opts.onRecord?.();
  }
  return perRecord;
}
