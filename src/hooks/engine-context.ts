// React context carrying the one engine-worker client. app/ provides it; features read it
// through useEngineClient and never create workers themselves.
import { createContext, useContext } from 'react';
import type { WorkerClient } from '../worker/client';

export const EngineContext = createContext<WorkerClient | null>(null);

export function useEngineClient(): WorkerClient {
  const client = useContext(EngineContext);
  if (!client) throw new Error('useEngineClient: no <EngineProvider> above this component');
  return client;
}
