// Owns loading the base model in the engine worker: starts with the bundled demo model, keeps
// per-file progress, and cancels a load when asked or when another load replaces it.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useEngineClient } from '../hooks/engine-context';
import { activeModel, ModelContext, type LoadRequest, type ModelState } from '../hooks/model-context';
import { DEFAULT_MODEL } from '../models/registry';

/** The load the app starts with: ?model=none starts empty; ?backend=cpu|webgpu forces the backend. */
function initialLoad(): LoadRequest | null {
  const query = new URLSearchParams(location.search);
  if (query.get('model') === 'none') return null;
  const backend = query.get('backend');
  return {
    source: DEFAULT_MODEL,
    precision: 'f32',
    backend: backend === 'cpu' || backend === 'webgpu' ? backend : 'auto',
  };
}

function loadingState(request: LoadRequest, current: ModelState): ModelState {
  return { state: 'loading', request, progress: {}, previous: activeModel(current) };
}

export function ModelProvider({ children }: { children: ReactNode }) {
  const client = useEngineClient();
  const [firstLoad] = useState(initialLoad);
  const [model, setModel] = useState<ModelState>(() =>
    firstLoad ? loadingState(firstLoad, { state: 'none' }) : { state: 'none' },
  );
  const inFlight = useRef<AbortController | null>(null);

  /** Issues the worker call; state changes happen only in its callbacks. */
  const start = useCallback(
    (request: LoadRequest) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
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
      return controller;
    },
    [client],
  );

  const load = useCallback(
    (request: LoadRequest) => {
      setModel((m) => loadingState(request, m));
      start(request);
    },
    [start],
  );

  const cancelLoad = useCallback(() => inFlight.current?.abort(), []);

  useEffect(() => {
    if (!firstLoad) return;
    const controller = start(firstLoad);
    return () => controller.abort();
  }, [firstLoad, start]);

  const controls = useMemo(
    () => ({ model, active: activeModel(model), load, cancelLoad }),
    [model, load, cancelLoad],
  );
  return <ModelContext.Provider value={controls}>{children}</ModelContext.Provider>;
}
