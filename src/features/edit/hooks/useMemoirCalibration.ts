// Owns the Edit view's MEMOIR calibration calls: the loaded model's calibration and preset choice (read
// again whenever the memory's status changes: the first edit may have calibrated the model), calibrating
// it again with progress per stage and Cancel, and switching the preset.
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, type CallFailure } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { MemoirCalibrationStatus, MemoirPresetChoice, Progress } from '../../../worker/protocol';

export type CalibrationState =
  | { state: 'waiting' }
  | { state: 'ready'; value: MemoirCalibrationStatus }
  | { state: 'failed'; message: string };

/** A calibration the person started: its progress by stage, or how it ended. */
export type CalibrationRun =
  { state: 'idle' } | { state: 'running'; progress: Record<string, Progress> } | CallFailure;

/** `memory`: the memory's status as the view last read it (a new one reads the calibration again). */
export function useMemoirCalibration(memory: unknown) {
  const client = useEngineClient();
  const { active: summary } = useModel();
  const [calibration, setCalibration] = useState<CalibrationState>({ state: 'waiting' });
  const [run, setRun] = useState<CalibrationRun>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const show = useCallback((call: Promise<MemoirCalibrationStatus>) => {
    call.then(
      (value) => setCalibration({ state: 'ready', value }),
      (error: Error) => setCalibration({ state: 'failed', message: error.message }),
    );
  }, []);

  useEffect(() => {
    if (summary) show(client.call('memoirCalibration', {}));
  }, [summary, memory, client, show]);

  /** Calibrates the model again (stored when it ends; a cancel stores nothing). */
  const calibrate = useCallback(() => {
    const own = new AbortController();
    controller.current = own;
    setRun({ state: 'running', progress: {} });
    client
      .call(
        'memoirCalibrate',
        {},
        {
          signal: own.signal,
          onProgress: (p) =>
            setRun((r) => (r.state === 'running' ? { ...r, progress: { ...r.progress, [p.label]: p } } : r)),
        },
      )
      .then(
        (value) => {
          setCalibration({ state: 'ready', value });
          setRun({ state: 'idle' });
        },
        (error: { code?: string; message: string }) => setRun(callFailure(error)),
      );
  }, [client]);

  const cancel = useCallback(() => controller.current?.abort(), []);

  const setPreset = useCallback(
    (preset: MemoirPresetChoice) => show(client.call('memoirSetPreset', { preset })),
    [client, show],
  );

  return { calibration, run, calibrate, cancel, setPreset };
}
