// Owns the Scope view's worker calls: the stored edits to choose from, and one scope run (every probe
// prompt of every group against the chosen edit, by MEMOIR and then SERAC) with progress and cancel.
// A SERAC failure (its companion models cannot be fetched, say) leaves MEMOIR's probes standing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, outcomeOf, type CallFailure, type Outcome } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { EditSummary, Progress, ScopeProbe, SeracScopeProbe } from '../../../worker/protocol';
import type { ProbeGroup } from '../groups';

/** Probes to run: the group and its prompts, in the order the view shows them. */
export type ProbeRequest = { group: ProbeGroup; prompts: string[] }[];

export type ScopeRun =
  { state: 'idle' } | { state: 'running'; done: number; total: number } | ScopeResult | CallFailure;

/** A finished run: MEMOIR's probes and, where SERAC could run on this model, SERAC's, per group. */
export interface ScopeResult {
  state: 'done';
  edit: EditSummary;
  tau: number;
  /** SERAC's threshold, or why SERAC could not run (its probes are in `groups`). */
  serac: { state: 'done'; threshold: number } | Extract<Outcome<unknown>, { state: 'failed' }>;
  groups: { group: ProbeGroup; probes: ScopeProbe[]; seracProbes: SeracScopeProbe[] | null }[];
}

type Edits =
  { state: 'waiting' } | { state: 'ready'; edits: EditSummary[] } | { state: 'failed'; message: string };

export function useScopeProbes() {
  const client = useEngineClient();
  const { active: model } = useModel();
  const [edits, setEdits] = useState<Edits>({ state: 'waiting' });
  const [run, setRun] = useState<ScopeRun>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!model) return;
    client.call('memoirStatus', {}).then(
      (status) => setEdits({ state: 'ready', edits: status.edits }),
      (error: Error) => setEdits({ state: 'failed', message: error.message }),
    );
  }, [client, model]);

  const start = useCallback(
    async (edit: EditSummary, request: ProbeRequest) => {
      const own = new AbortController();
      controller.current = own;
      const prompts = request.flatMap((r) => r.prompts);
      // MEMOIR's probes, then SERAC's: one count over both.
      const total = 2 * prompts.length;
      const params = { editId: edit.id, prompts, maxTokens: 5 };
      const options = (offset: number) => ({
        signal: own.signal,
        onProgress: (p: Progress) =>
          p.label.endsWith('scope probes') && setRun({ state: 'running', done: offset + p.loaded, total }),
      });
      setRun({ state: 'running', done: 0, total });
      try {
        const memoir = await client.call('memoirScope', params, options(0));
        const serac = await outcomeOf(client.call('seracScope', params, options(prompts.length)));
        let next = 0;
        const groups = request.map(({ group, prompts: own }) => {
          const take = <P>(xs: readonly P[]): P[] => xs.slice(next, next + own.length);
          const out = {
            group,
            probes: take(memoir.probes),
            seracProbes: serac.state === 'done' ? take(serac.result.probes) : null,
          };
          next += own.length;
          return out;
        });
        setRun({
          state: 'done',
          edit,
          tau: memoir.tau,
          serac: serac.state === 'done' ? { state: 'done', threshold: serac.result.threshold } : serac,
          groups,
        });
      } catch (error) {
        setRun(callFailure(error as { code?: string; message: string }));
      }
    },
    [client],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { modelReady: model !== null, edits, run, start, cancel };
}
