// Owns loading the base model in the engine worker: starts with the bundled demo model, keeps
// per-file progress, and cancels a load when asked or when another load replaces it.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useEngineClient } from '../hooks/engine-context';
import { ModelContext, type LoadRequest, type ModelState } from '../hooks/model-context';
import type { ModelSummary } from '../worker/protocol';
import { DEFAULT_MODEL } from '../models/registry';

function currentSummary(model: ModelState): ModelSummary | null {
  if (model.state === 'ready') return model.summary;
  if (model.state === 'loading') return model.previous;
  return null;
}

const DEFAULT_LOAD: LoadRequest = { source: DEFAULT_MODEL, precision: 'f32', backend: 'auto' };

export function ModelProvider({ children }: { children: ReactNode }) {
  const client = useEngineClient();
  const [model, setModel] = useState<ModelState>({ state: 'none' });
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(
    (request: LoadRequest) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setModel((m) => ({ state: 'loading', request, progress: {}, previous: currentSummary(m) }));
      client
        .call('loadModel', request, {
          signal: controller.signal,
          onProgress: (p) =>
            setModel((m) =>
              m.state === 'loading' ? { ...m, progress: { ...m.progress, [p.label]: p } } : m,
            ),
        })
        .then(
          (summary) => setModel({ state: 'ready', summary }),
          (error: { code?: string; message: string }) => {
            if (inFlight.current !== controller) return; // replaced by a newer load
            setModel((m) => {
              const previous = currentSummary(m);
              // A cancelled load leaves the model that was already loaded in force.
              if (error.code === 'CANCELLED' && previous) return { state: 'ready', summary: previous };
              return { state: 'failed', request, code: error.code ?? 'INTERNAL', message: error.message };
            });
          },
        );
    },
    [client],
  );

  const cancelLoad = useCallback(() => inFlight.current?.abort(), []);

  useEffect(() => {
    if (new URLSearchParams(location.search).get('model') !== 'none') load(DEFAULT_LOAD);
    return () => inFlight.current?.abort();
  }, [load]);

  const controls = useMemo(() => ({ model, load, cancelLoad }), [model, load, cancelLoad]);
  return <ModelContext.Provider value={controls}>{children}</ModelContext.Provider>;
}
