// Owns loading the base model in the engine worker: starts with the bundled demo model, keeps
// per-file progress, and cancels a load when asked or when another load replaces it.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useEngineClient } from '../hooks/engine-context';
import { activeModel, ModelContext, type LoadRequest, type ModelState } from '../hooks/model-context';
import { DEFAULT_MODEL } from '../models/registry';

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
      setModel((m) => ({ state: 'loading', request, progress: {}, previous: activeModel(m) }));
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
              // The worker keeps the model it had until a load succeeds; so does the UI.
              const previous = activeModel(m);
              if (error.code === 'CANCELLED' && previous) return { state: 'ready', summary: previous };
              return {
                state: 'failed',
                request,
                code: error.code ?? 'INTERNAL',
                message: error.message,
                previous,
              };
            });
          },
        );
    },
    [client],
  );

  const cancelLoad = useCallback(() => inFlight.current?.abort(), []);

  useEffect(() => {
    // ?model=none starts empty; ?backend=cpu|webgpu forces where the default model runs.
    const query = new URLSearchParams(location.search);
    const backend = query.get('backend');
    if (query.get('model') === 'none') return;
    load({ ...DEFAULT_LOAD, backend: backend === 'cpu' || backend === 'webgpu' ? backend : 'auto' });
  }, [load]);

  useEffect(() => () => inFlight.current?.abort(), []);

  const controls = useMemo(
    () => ({ model, active: activeModel(model), load, cancelLoad }),
    [model, load, cancelLoad],
  );
  return <ModelContext.Provider value={controls}>{children}</ModelContext.Provider>;
}
