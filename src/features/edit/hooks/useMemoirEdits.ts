// Owns the Edit view's worker calls: the MEMOIR memory of the loaded model (restored from storage),
// training a new edit with live step metrics and cancel, and deleting an edit.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { EditSummary, MemoirStatus } from '../../../worker/protocol';

export interface StepMetrics {
  step: number;
  total: number;
  loss: number;
  targetProb: number;
}

export type Training =
  | { state: 'idle' }
  | { state: 'running'; prompt: string; target: string; steps: StepMetrics[] }
  | { state: 'done'; edit: EditSummary }
  | { state: 'cancelled' }
  | { state: 'failed'; code: string; message: string };

type Status =
  { state: 'waiting' } | { state: 'ready'; value: MemoirStatus } | { state: 'failed'; message: string };

export function useMemoirEdits() {
  const client = useEngineClient();
  const { active: summary } = useModel();
  const [status, setStatus] = useState<Status>({ state: 'waiting' });
  const [training, setTraining] = useState<Training>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const refresh = useCallback(() => {
    client.call('memoirStatus', {}).then(
      (value) => setStatus({ state: 'ready', value }),
      (error: Error) => setStatus({ state: 'failed', message: error.message }),
    );
  }, [client]);

  useEffect(() => {
    if (summary) refresh();
  }, [summary, refresh]);

  const apply = useCallback(
    (prompt: string, target: string) => {
      const own = new AbortController();
      controller.current = own;
      setTraining({ state: 'running', prompt, target, steps: [] });
      client
        .call(
          'memoirEdit',
          { prompt, target },
          {
            signal: own.signal,
            onProgress: (p) => {
              if (!p.metrics) return;
              const step = {
                step: p.loaded,
                total: p.total,
                loss: p.metrics.loss,
                targetProb: p.metrics.targetProb,
              };
              setTraining((t) => (t.state === 'running' ? { ...t, steps: [...t.steps, step] } : t));
            },
          },
        )
        .then(
          (edit) => {
            setTraining({ state: 'done', edit });
            refresh();
          },
          (error: { code?: string; message: string }) =>
            setTraining(
              error.code === 'CANCELLED'
                ? { state: 'cancelled' }
                : { state: 'failed', code: error.code ?? 'INTERNAL', message: error.message },
            ),
        );
    },
    [client, refresh],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);

  const remove = useCallback(
    (id: string) => {
      client
        .call('memoirDelete', { id })
        .then(refresh, (error: Error) => setStatus({ state: 'failed', message: error.message }));
    },
    [client, refresh],
  );

  return { modelReady: summary !== null, status, training, apply, cancel, remove };
}
