// Runs one prompt through the base model, MEMOIR and SERAC (greedy) over the same stored edits, keeping
// each editor's routing decision. The worker serves one call at a time, so MEMOIR goes first, then
// SERAC, whose first run loads its counterfactual and scope models (progress per file, cancellable).
// A SERAC failure (its companion models cannot be fetched, say) leaves the MEMOIR half standing.
import { useCallback, useRef, useState } from 'react';
import { callFailure, outcomeOf, type CallFailure, type Outcome } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import type { Progress, ResultOf } from '../../../worker/protocol';

export type Comparison =
  | { state: 'idle' }
  | { state: 'running'; prompt: string; progress: Record<string, Progress> }
  | {
      state: 'done';
      prompt: string;
      memoir: ResultOf<'memoirCompare'>;
      serac: Outcome<ResultOf<'seracCompare'>>;
    }
  | CallFailure;

export function useEditorComparison() {
  const client = useEngineClient();
  const [comparison, setComparison] = useState<Comparison>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(
    async (prompt: string, maxTokens: number) => {
      const own = new AbortController();
      controller.current = own;
      const progress: Record<string, Progress> = {};
      setComparison({ state: 'running', prompt, progress: {} });
      try {
        const memoir = await client.call('memoirCompare', { prompt, maxTokens }, { signal: own.signal });
        const serac = await outcomeOf(
          client.call(
            'seracCompare',
            { prompt, maxTokens },
            {
              signal: own.signal,
              onProgress: (p) => {
                progress[p.label] = p;
                setComparison({ state: 'running', prompt, progress: { ...progress } });
              },
            },
          ),
        );
        setComparison({ state: 'done', prompt, memoir, serac });
      } catch (error) {
        setComparison(callFailure(error as { code?: string; message: string }));
      }
    },
    [client],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { comparison, run, cancel };
}
