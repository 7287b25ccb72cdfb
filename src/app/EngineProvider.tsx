// Starts the engine worker once for the whole app and hands its promise client to the views.
import { useState, type ReactNode } from 'react';
import { EngineContext } from '../hooks/engine-context';
import { WorkerClient } from '../worker/client';

function startEngineWorker(): WorkerClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'editscope-engine',
  });
  return new WorkerClient(worker);
}

export function EngineProvider({ children }: { children: ReactNode }) {
  const [client] = useState(startEngineWorker);
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>;
}
