// Owns the Edit view's SERAC threshold calls: the threshold SERAC routes with for the loaded model (and
// the scope model's own), and setting it. A model without SERAC answers with the reason.
import { useCallback, useEffect, useState } from 'react';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { SeracThreshold } from '../../../worker/protocol';

export type SeracGate =
  { state: 'waiting' } | { state: 'ready'; value: SeracThreshold } | { state: 'failed'; message: string };

export function useSeracThreshold() {
  const client = useEngineClient();
  const { active: summary } = useModel();
  const [gate, setGate] = useState<SeracGate>({ state: 'waiting' });

  /** Shows the threshold a call answers with (seracThreshold, seracSetThreshold), or why it failed. */
  const show = useCallback((call: Promise<SeracThreshold>) => {
    call.then(
      (value) => setGate({ state: 'ready', value }),
      (error: Error) => setGate({ state: 'failed', message: error.message }),
    );
  }, []);

  useEffect(() => {
    if (summary) show(client.call('seracThreshold', {}));
  }, [summary, client, show]);

  /** Routes SERAC at `threshold` from now on (null: the scope model's own), stored per model. */
  const setThreshold = useCallback(
    (threshold: number | null) => show(client.call('seracSetThreshold', { threshold })),
    [client, show],
  );

  return { gate, setThreshold };
}
