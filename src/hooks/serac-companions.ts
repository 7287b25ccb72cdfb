// SERAC's companions and threshold for the loaded model, for the Edit and Compare views: what SERAC uses
// and why (seracThreshold), setting the threshold, picking other companion models, and calibrating an
// embedding scope's threshold (progress, cancel). A model without SERAC answers with the reason.
import { useCallback, useEffect, useRef, useState } from 'react';
import { callFailure, type CallFailure } from './call-failure';
import { useEngineClient } from './engine-context';
import { useModel } from './model-context';
import type { ParamsOf, Progress, SeracThreshold } from '../worker/protocol';

export type SeracGate =
  { state: 'waiting' } | { state: 'ready'; value: SeracThreshold } | { state: 'failed'; message: string };

/** A calibration (or the companions' load before it) under way, or how the last one ended. */
export type SeracCalibrating =
  { state: 'idle' } | { state: 'running'; progress: Record<string, Progress> } | CallFailure;

export function useSeracCompanions() {
  const client = useEngineClient();
  const { active: summary } = useModel();
  const [gate, setGate] = useState<SeracGate>({ state: 'waiting' });
  const [calibrating, setCalibrating] = useState<SeracCalibrating>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  /** Shows the threshold a call answers with, or why it failed. */
  const show = useCallback((call: Promise<SeracThreshold>) => {
    call.then(
      (value) => setGate({ state: 'ready', value }),
      (error: Error) => setGate({ state: 'failed', message: error.message }),
    );
  }, []);

  /** Asks again (after a SERAC call that may have loaded and calibrated the companions). */
  const refresh = useCallback(() => show(client.call('seracThreshold', {})), [client, show]);

  useEffect(() => {
    if (summary) refresh();
  }, [summary, refresh]);

  /** Routes SERAC at `threshold` from now on (null: the scope model's own), stored per model. */
  const setThreshold = useCallback(
    (threshold: number | null) => show(client.call('seracSetThreshold', { threshold })),
    [client, show],
  );

  /** Other companion models for this base model (an unset field: the default), stored per model. */
  const setCompanions = useCallback(
    (picks: ParamsOf<'seracSetCompanions'>) => show(client.call('seracSetCompanions', picks)),
    [client, show],
  );

  /** Loads the companions and calibrates the scope threshold, with progress per file and step. */
  const calibrate = useCallback(async () => {
    const own = new AbortController();
    controller.current = own;
    const progress: Record<string, Progress> = {};
    setCalibrating({ state: 'running', progress });
    try {
      const value = await client.call(
        'seracCalibrate',
        {},
        {
          signal: own.signal,
          onProgress: (p) => {
            progress[p.label] = p;
            setCalibrating({ state: 'running', progress: { ...progress } });
          },
        },
      );
      setGate({ state: 'ready', value });
      setCalibrating({ state: 'idle' });
    } catch (error) {
      setCalibrating(callFailure(error as { code?: string; message: string }));
    }
  }, [client]);

  const cancel = useCallback(() => controller.current?.abort(), []);

  return { gate, calibrating, refresh, setThreshold, setCompanions, calibrate, cancel };
}
