// The loaded base model, shared by every view: its load state (with per-file progress) and the
// commands to load another or cancel a load. app/ModelProvider owns the worker calls.
import { createContext, useContext } from 'react';
import type { ModelSource, ModelSummary, Progress, WeightPrecision } from '../worker/protocol';
import type { BackendName } from '../engine/backend';

export interface LoadRequest {
  source: ModelSource;
  precision: WeightPrecision;
  backend: BackendName | 'auto';
  /** For a gated hub repo: in memory with this request only, never stored or shown. */
  accessToken?: string;
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
  | { state: 'failed'; request: LoadRequest; code: string; message: string; previous: ModelSummary | null };

/** The model the worker is running now: a failed or pending load leaves the previous one in force. */
export function activeModel(model: ModelState): ModelSummary | null {
  switch (model.state) {
    case 'none':
      return null;
    case 'ready':
      return model.summary;
    case 'loading':
    case 'failed':
      return model.previous;
    default: {
      const unreachable: never = model;
      return unreachable;
    }
  }
}

export interface ModelControls {
  model: ModelState;
  /** activeModel(model), for views that only need to know what answers their calls. */
  active: ModelSummary | null;
  load(request: LoadRequest): void;
  cancelLoad(): void;
}

export const ModelContext = createContext<ModelControls | null>(null);

export function useModel(): ModelControls {
  const controls = useContext(ModelContext);
  if (!controls) throw new Error('useModel: no <ModelProvider> above this component');
  return controls;
}
