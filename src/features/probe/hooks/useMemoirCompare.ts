// Runs the base model and the MEMOIR-edited model on the same prompt (greedy) and keeps the routing
// decision, so a person sees where an edit reaches.
import { useCallback, useState } from 'react';
import { useEngineClient } from '../../../hooks/engine-context';
import type { ResultOf } from '../../../worker/protocol';

export type CompareState =
  | { state: 'idle' }
  | { state: 'running'; prompt: string }
  | { state: 'done'; prompt: string; result: ResultOf<'memoirCompare'> }
  | { state: 'failed'; code: string; message: string };

export function useMemoirCompare() {
  const client = useEngineClient();
  const [compare, setCompare] = useState<CompareState>({ state: 'idle' });
  const run = useCallback(
    (prompt: string, maxTokens: number) => {
      setCompare({ state: 'running', prompt });
      client.call('memoirCompare', { prompt, maxTokens }).then(
        (result) => setCompare({ state: 'done', prompt, result }),
        (error: { code?: string; message: string }) =>
          setCompare({ state: 'failed', code: error.code ?? 'INTERNAL', message: error.message }),
      );
    },
    [client],
  );
  return { compare, run };
}
