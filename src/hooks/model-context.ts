// The loaded base model, shared by every view: its load state (with per-file progress) and the
// commands to load another or cancel a load. app/ModelProvider owns the worker calls.
import { createContext, useContext } from 'react';
import type { ModelSource, ModelSummary, Progress, WeightPrecision } from '../worker/protocol';
import type { BackendName } from '../engine/backend';

export interface LoadRequest {
  source: ModelSource;
  precision: WeightPrecision;
  backend: BackendName | 'auto';
}

export type ModelState =
  | { state: 'none' }
  /** `previous` stays in force in the worker until the new load succeeds. */
  | {
      state: 'loading';
      request: LoadRequest;
      progress: Record<string, Progress>;
      previous: ModelSummary | null;
    }
  | { state: 'ready'; summary: ModelSummary }
  | { state: 'failed'; request: LoadRequest; code: string; message: string };

export interface ModelControls {
  model: ModelState;
  load(request: LoadRequest): void;
  cancelLoad(): void;
}

export const ModelContext = createContext<ModelControls | null>(null);

export function useModel(): ModelControls {
  const controls = useContext(ModelContext);
  if (!controls) throw new Error('useModel: no <ModelProvider> above this component');
  return controls;
}
