// Starts the engine worker once for the whole app and hands its promise client to the views.
import { useState, type ReactNode } from 'react';
import { EngineContext } from '../hooks/engine-context';
import { startEngineWorker } from '../worker/start';

export function EngineProvider({ children }: { children: ReactNode }) {
  const [client] = useState(startEngineWorker);
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>;
}
