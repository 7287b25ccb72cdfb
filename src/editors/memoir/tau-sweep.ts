// Re-measure one trained MEMOIR memory under many τ (a Gen/Loc trade-off curve) for the cost of about one
// measurement. τ only decides *whether* a prompt's top-1 stored mask switches the memory on; the top-1
// edit, the memory and hence the output under each decision do not depend on τ. So a prompt's output is
// computed once per route it takes (memory off, or on with edit e) and reused for every τ that routes it
// the same way; the query mask, which costs a forward pass to the edited layer, is computed once per prompt
// (MemoirEditor keeps masks, and its τ views share them).

import type { EditMethod, EditOutcome, TeacherForced } from '../../eval/method';
import type { RecordMetrics } from '../../eval/metrics';
import { measureRecords, type Baseline } from '../../eval/runner';
import type { BenchRecord } from '../../eval/records';
import { EngineError } from '../../engine/errors';
import type { MemoirEditor } from './editor';

export interface TauMeasurement {
  readonly tau: number;
  readonly perRecord: readonly RecordMetrics[];
}

/** Outputs by (route, prompt, query), shared by the τ views of one memory. */
type SharedOutputs = Map<string, TeacherForced | Int32Array>;

/** One τ view of the memory whose model calls go through the shared outputs. Measures only. */
class RouteKeyedView implements EditMethod {
  readonly name = 'memoir';

  constructor(
    private readonly view: MemoirEditor,
    private readonly shared: SharedOutputs,
  ) {}

  applyEdit(): Promise<EditOutcome> {
    throw new EngineError('SHAPE', 'memoir: a τ-sweep view only measures; edit the trained editor');
  }

  teacherForced(prompt: string, target: string): Promise<TeacherForced> {
    return this.cached(prompt, `tf:${target}`, () => this.view.teacherForced(prompt, target));
  }

  greedy(prompt: string, maxNew: number): Promise<Int32Array> {
    return this.cached(prompt, `greedy:${maxNew}`, () => this.view.greedy(prompt, maxNew));
  }

  private async cached<T extends TeacherForced | Int32Array>(
    prompt: string,
    query: string,
    compute: () => Promise<T>,
  ): Promise<T> {
    const route = (await this.view.route(prompt)).edit?.editId ?? '';
    // JSON keeps the three parts apart whatever characters the prompt holds.
    const key = JSON.stringify([route, prompt, query]);
    const hit = this.shared.get(key);
    if (hit) return hit as T;
    const out = await compute();
    this.shared.set(key, out);
    return out;
  }
}

/** Rel/Gen/Loc/… of each record under each τ, against the records' pre-edit baselines. Equal to
 *  measureRecords(editor.withTau(τ), …) for every τ (tau-sweep.test.ts), in far fewer model calls. */
export async function measureTauSweep(
  editor: MemoirEditor,
  taus: readonly number[],
  records: readonly BenchRecord[],
  baselines: readonly Baseline[],
  /** onTau: before measuring each τ, with its index in `taus`. */
  opts: { signal?: AbortSignal; onTau?: (tau: number, index: number) => void } = {},
): Promise<TauMeasurement[]> {
  const shared: SharedOutputs = new Map();
  const out: TauMeasurement[] = [];
  for (const [index, tau] of taus.entries()) {
    opts.onTau?.(tau, index);
    const view = new RouteKeyedView(editor.withTau(tau), shared);
    out.push({ tau, perRecord: await measureRecords(view, records, baselines, { signal: opts.signal }) });
  }
  return out;
}
