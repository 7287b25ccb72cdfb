// Owns one streamed generation at a time in the engine worker: text so far, the final stats,
// errors with their code, and Stop.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useEngineClient } from '../../../hooks/engine-context';
import type { Completion, Sampling } from '../../../worker/protocol';

export type GenerationState =
  | { state: 'idle' }
  | { state: 'running'; text: string }
  | { state: 'done'; text: string; completion: Completion }
  | { state: 'stopped'; text: string }
  | { state: 'failed'; text: string; code: string; message: string };

export function useGeneration() {
  const client = useEngineClient();
  const [generation, setGeneration] = useState<GenerationState>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const generate = useCallback(
    (prompt: string, maxTokens: number, sampling: Sampling) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      let text = '';
      setGeneration({ state: 'running', text });
      client
        .call(
          'generate',
          { prompt, maxTokens, sampling },
          {
            signal: own.signal,
            onToken: (piece) => {
              text += piece;
              setGeneration({ state: 'running', text });
            },
          },
        )
        .then(
          (completion) => setGeneration({ state: 'done', text: completion.text, completion }),
          (error: { code?: string; message: string }) => {
            if (controller.current !== own) return;
            if (error.code === 'CANCELLED') setGeneration({ state: 'stopped', text });
            else
              setGeneration({
                state: 'failed',
                text,
                code: error.code ?? 'INTERNAL',
                message: error.message,
              });
          },
        );
    },
    [client],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  useEffect(() => () => controller.current?.abort(), []);

  return { generation, generate, stop };
}
