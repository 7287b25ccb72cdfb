// Starts the engine worker and returns its promise client. One place for the worker's URL and options:
// the app (EngineProvider) and the benchmark pages drive the same worker the same way.
import { WorkerClient } from './client';

export function startEngineWorker(): WorkerClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'editscope-engine',
  });
  return new WorkerClient(worker);
}
