// Owns the Edit view's worker calls: the MEMOIR memory of the loaded model (restored from storage),
// training a new edit (or a shared link's edits, one after another, or a stored edit not in force, again)
// with live step metrics and cancel (and the calibration the first edit of a model may run first),
// deleting edits (one or all), setting the memory's gate τ, and the backup file of the edits (export;
// import into an empty edit list).
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, type CallFailure } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import { storeChannel } from '../../../store/tabs';
import {
  CALIBRATION_STAGES,
  type EditSummary,
  type EditText,
  type MemoirStatus,
  type ParamsOf,
  type Progress,
} from '../../../worker/protocol';

export interface StepMetrics {
  step: number;
  total: number;
  loss: number;
  targetProb: number;
}

/** Where an edit stands in a batch (a shared link's import): the index-th of total. */
export interface Batch {
  index: number;
  total: number;
}

export type Training =
  | { state: 'idle' }
  | {
      state: 'running';
      prompt: string;
      target: string;
      steps: StepMetrics[];
      batch?: Batch;
      /** The calibration this first edit of the model runs before training, by stage. */
      calibrating?: Record<string, Progress>;
    }
  | { state: 'done'; edit: EditSummary; batch?: Batch }
  | CallFailure;

type Status =
  { state: 'waiting' } | { state: 'ready'; value: MemoirStatus } | { state: 'failed'; message: string };

/** What the Edit view says while this tab's newer schema waits for an older tab (store/tabs.ts). */
export const UPGRADE_BLOCKED =
  'An Editscope tab is waiting to upgrade the stored edits: close the other Editscope tab to finish upgrading.';

const stages = new Set<string>(Object.values(CALIBRATION_STAGES));

export function useMemoirEdits() {
  const client = useEngineClient();
  const { active: summary } = useModel();
  const [status, setStatus] = useState<Status>({ state: 'waiting' });
  const [training, setTraining] = useState<Training>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);
  /** UPGRADE_BLOCKED until a status is read again. */
  const [notice, setNotice] = useState<string | null>(null);

  /** Shows the status a call answers with (memoirStatus, memoirSetTau), or why it failed. */
  const showStatus = useCallback((call: Promise<MemoirStatus>) => {
    call.then(
      (value) => {
        setStatus({ state: 'ready', value });
        setNotice(null);
      },
      (error: Error) => setStatus({ state: 'failed', message: error.message }),
    );
  }, []);

  const refresh = useCallback(() => showStatus(client.call('memoirStatus', {})), [client, showStatus]);

  useEffect(() => {
    if (summary) refresh();
  }, [summary, refresh]);

  // Another tab changed the stored edits, or a schema upgrade waits or closed a connection: the status
  // is read again, so the list follows the store without a reload (and a tab whose connection closed
  // for an upgrade shows the worker's "reload this tab").
  useEffect(() => {
    const channel = storeChannel();
    const unlisten = channel.listen((message) => {
      if (message.type === 'upgrade-blocked') setNotice(UPGRADE_BLOCKED);
      if (summary) refresh();
    });
    return () => {
      unlisten();
      channel.close();
    };
  }, [summary, refresh]);

  /** Trains one edit; resolves true when it is stored, false when cancelled or failed (state says which). */
  const train = useCallback(
    (edit: ParamsOf<'memoirEdit'>, signal: AbortSignal, batch?: Batch) =>
      new Promise<boolean>((resolve) => {
        setTraining({ state: 'running', prompt: edit.prompt, target: edit.target, steps: [], batch });
        client
          .call('memoirEdit', edit, {
            signal,
            onProgress: (p) => {
              if (stages.has(p.label)) {
                setTraining((t) =>
                  t.state === 'running' ? { ...t, calibrating: { ...t.calibrating, [p.label]: p } } : t,
                );
              }
              if (!p.metrics) return;
              const step = {
                step: p.loaded,
                total: p.total,
                loss: p.metrics.loss,
                targetProb: p.metrics.targetProb,
              };
              setTraining((t) => (t.state === 'running' ? { ...t, steps: [...t.steps, step] } : t));
            },
          })
          .then(
            (edit) => {
              setTraining({ state: 'done', edit, batch });
              refresh();
              resolve(true);
            },
            (error: { code?: string; message: string }) => {
              setTraining(callFailure(error));
              resolve(false);
            },
          );
      }),
    [client, refresh],
  );

  const apply = useCallback(
    (prompt: string, target: string) => {
      controller.current = new AbortController();
      void train({ prompt, target }, controller.current.signal);
    },
    [train],
  );

  /** Trains a stored edit that is not in force again, in its place (same id and creation time). */
  const reapply = useCallback(
    ({ id, prompt, target }: EditText) => {
      controller.current = new AbortController();
      void train({ prompt, target, replaces: id }, controller.current.signal);
    },
    [train],
  );

  /** Trains a shared link's edits one after another, after the stored ones; stops at a cancel or failure. */
  const importEdits = useCallback(
    async (edits: readonly { prompt: string; target: string }[]) => {
      const own = new AbortController();
      controller.current = own;
      for (const [index, e] of edits.entries()) {
        const edit = { prompt: e.prompt, target: e.target };
        if (!(await train(edit, own.signal, { index, total: edits.length }))) return;
      }
    },
    [train],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);

  /** Deletes stored edits (one, or all; or ones not in force), each exactly. */
  const remove = useCallback(
    (ids: string[]) => {
      client
        .call('memoirDelete', { ids })
        .then(refresh, (error: Error) => setStatus({ state: 'failed', message: error.message }));
    },
    [client, refresh],
  );

  /** Gates the memory at another τ (stored with it); the status then shows the new τ. */
  const setTau = useCallback(
    (tau: number) => showStatus(client.call('memoirSetTau', { tau })),
    [client, showStatus],
  );

  /** The backup file of the edits in force with their memory (the caller saves it). */
  const exportBackup = useCallback(() => client.call('memoirExport', {}), [client]);

  /** Restores a backup file's text; rejects with the worker's reason (a bad file, edits stored). */
  const importBackup = useCallback(
    async (text: string) => setStatus({ state: 'ready', value: await client.call('memoirImport', { text }) }),
    [client],
  );

  return {
    modelReady: summary !== null,
    status,
    notice,
    training,
    apply,
    reapply,
    importEdits,
    cancel,
    remove,
    setTau,
    exportBackup,
    importBackup,
  };
}
