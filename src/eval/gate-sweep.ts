// Re-measure one edited memory under many gate values (MEMOIR's τ, SERAC's scope threshold) — the Gen/Loc
// trade-off curve — for the cost of about one measurement. The gate only decides *whether* a prompt's
// best-matching edit is used; which edit that is, the memory and hence the output under each decision do
// not depend on the gate. So a prompt's output is computed once per route it takes (no edit, or edit e)
// and reused for every gate value that routes it the same way. Routing itself is cheap to repeat: both
// editors keep each prompt's scores (MEMOIR's query mask, SERAC's scope scores) and share them with
// their gated views.

import { EngineError } from '../engine/errors';
import type { EditMethod, EditOutcome, TeacherForced } from './method';
import type { RecordMetrics } from './metrics';
import { measureRecords, type Baseline } from './runner';
import type { BenchRecord } from './records';

/** An editor whose memory can be viewed under another gate value, and which says where a prompt goes. */
export interface Gated<Self extends Gated<Self>> extends EditMethod {
  /** The value this editor gates with. */
  readonly gate: number;
  /** The same memory gated at `gate` (sharing its per-prompt scores). */
  withGate(gate: number): Self;
  /** The id of the edit `prompt` is routed to, or null when the unedited model answers. */
  routeOf(prompt: string): Promise<string | null>;
}

export interface GateMeasurement {
  readonly gate: number;
  readonly perRecord: readonly RecordMetrics[];
}

/** Outputs by (route, prompt, query), shared by the gated views of one memory. */
type SharedOutputs = Map<string, TeacherForced | Int32Array>;

/** One gated view of the memory whose model calls go through the shared outputs. Measures only. */
class RouteKeyedView<E extends Gated<E>> implements EditMethod {
  readonly name: string;

  constructor(
    private readonly view: E,
    private readonly shared: SharedOutputs,
  ) {
    this.name = view.name;
  }

  applyEdit(): Promise<EditOutcome> {
    throw new EngineError('SHAPE', `${this.name}: a gate-sweep view only measures; edit the editor itself`);
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
    // JSON keeps the three parts apart whatever characters the prompt holds.
    const key = JSON.stringify([await this.view.routeOf(prompt), prompt, query]);
    const hit = this.shared.get(key);
    if (hit) return hit as T;
    const out = await compute();
    this.shared.set(key, out);
    return out;
  }
}

/** Rel/Gen/Loc/… of each record under each gate value, against the records' pre-edit baselines. Equal
 *  to measureRecords(editor.withGate(g), …) for every g (tested per editor), in far fewer model calls. */
export async function measureGateSweep<E extends Gated<E>>(
  editor: E,
  gates: readonly number[],
  records: readonly BenchRecord[],
  baselines: readonly Baseline[],
  /** onGate: before measuring each value, with its index in `gates`. */
  opts: { signal?: AbortSignal; onGate?: (gate: number, index: number) => void } = {},
): Promise<GateMeasurement[]> {
  const shared: SharedOutputs = new Map();
  const out: GateMeasurement[] = [];
  for (const [index, gate] of gates.entries()) {
    opts.onGate?.(gate, index);
    const view = new RouteKeyedView(editor.withGate(gate), shared);
    out.push({ gate, perRecord: await measureRecords(view, records, baselines, { signal: opts.signal }) });
  }
  return out;
}
