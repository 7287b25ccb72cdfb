// Owns the Scope view's "Use this τ" / "Use this threshold": the what-if value of a slider made the one
// the editor routes with, through the same worker calls as the Edit view's gate controls. Moving a
// slider stores nothing; only these buttons do.
import { useCallback, useState } from 'react';
import { outcomeOf, type Outcome } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';

/** The gate each editor routes with now, as last stored from this view (null: not changed here). */
export interface StoredGates {
  tau: number | null;
  threshold: number | null;
  /** The last store call's failure, shown beside the sliders. */
  failure: Extract<Outcome<unknown>, { state: 'failed' }> | null;
}

export function useStoredGates() {
  const client = useEngineClient();
  const [stored, setStored] = useState<StoredGates>({ tau: null, threshold: null, failure: null });

  const storeTau = useCallback(
    async (tau: number) => {
      const out = await outcomeOf(client.call('memoirSetTau', { tau }));
      setStored((s) =>
        out.state === 'done' ? { ...s, tau: out.result.config.tau, failure: null } : { ...s, failure: out },
      );
    },
    [client],
  );
  const storeThreshold = useCallback(
    async (threshold: number) => {
      const out = await outcomeOf(client.call('seracSetThreshold', { threshold }));
      setStored((s) =>
        out.state === 'done'
          ? { ...s, threshold: out.result.threshold, failure: null }
          : { ...s, failure: out },
      );
    },
    [client],
  );
  return { stored, storeTau, storeThreshold };
}
