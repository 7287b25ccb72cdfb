// Owns the Memory view's worker calls: the stored edits' masks with H, k and τ (read when the view opens
// or the model changes), and one prompt's mask computed without training, with its overlaps.
import { useCallback, useEffect, useState } from 'react';
import { callFailure, type CallFailure } from '../../../hooks/call-failure';
import { useEngineClient } from '../../../hooks/engine-context';
import { useModel } from '../../../hooks/model-context';
import type { ResultOf } from '../../../worker/protocol';

export type Masks = { state: 'waiting' } | ({ state: 'ready' } & ResultOf<'memoirMasks'>) | CallFailure;

export type Preview =
  | { state: 'idle' }
  | { state: 'running'; prompt: string }
  | ({ state: 'done'; prompt: string } & ResultOf<'memoirPreviewMask'>)
  | CallFailure;

export function useMemoryMasks() {
  const client = useEngineClient();
  const { active: model } = useModel();
  const [masks, setMasks] = useState<Masks>({ state: 'waiting' });
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });

  useEffect(() => {
    if (!model) return;
    client.call('memoirMasks', {}).then(
      (result) => {
        setMasks({ state: 'ready', ...result });
        setPreview({ state: 'idle' }); // a mask of the previous model's
      },
      (error: { code?: string; message: string }) => setMasks(callFailure(error)),
    );
  }, [client, model]);

  const check = useCallback(
    async (prompt: string) => {
      setPreview({ state: 'running', prompt });
      try {
        // The stored masks read again with it, so the ranking names the edits stored now (another tab
        // may have changed them since the view opened).
        const [result, stored] = await Promise.all([
          client.call('memoirPreviewMask', { prompt }),
          client.call('memoirMasks', {}),
        ]);
        setMasks({ state: 'ready', ...stored });
        setPreview({ state: 'done', prompt, ...result });
      } catch (error) {
        setPreview(callFailure(error as { code?: string; message: string }));
      }
    },
    [client],
  );

  return { modelReady: model !== null, masks, preview, check };
}
