// Owns the Scope view's worker calls: the stored edits to choose from, and one scope run (every probe
// prompt of every group against the chosen edit) with progress and cancel.
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, type CallFailure } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { EditSummary, ScopeProbe } from '../../../worker/protocol';
import type { ProbeGroup } from '../groups';

/** Probes to run: the group and its prompts, in the order the view shows them. */
export type ProbeRequest = { group: ProbeGroup; prompts: string[] }[];

export type ScopeRun =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | {
      state: 'done';
      edit: EditSummary;
      tau: number;
      groups: { group: ProbeGroup; probes: ScopeProbe[] }[];
    }
  | CallFailure;

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
    (edit: EditSummary, request: ProbeRequest) => {
      const own = new AbortController();
      controller.current = own;
      const prompts = request.flatMap((r) => r.prompts);
      setRun({ state: 'running', done: 0, total: prompts.length });
      client
        .call(
          'memoirScope',
          { editId: edit.id, prompts, maxTokens: 5 },
          {
            signal: own.signal,
            onProgress: (p) => setRun({ state: 'running', done: p.loaded, total: p.total }),
          },
        )
        .then(
          ({ tau, probes }) => {
            let next = 0;
            const groups = request.map(({ group, prompts: own }) => {
              const slice = probes.slice(next, next + own.length);
              next += own.length;
              return { group, probes: slice };
            });
            setRun({ state: 'done', edit, tau, groups });
          },
          (error: { code?: string; message: string }) => setRun(callFailure(error)),
        );
    },
    [client],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { modelReady: model !== null, edits, run, start, cancel };
}
