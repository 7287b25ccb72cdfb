// Loads a model from a hub repo id or a local base URL onto a Backend: fetch (with byte progress,
// cancellation, Cache API) → parse config + safetensors → upload at the chosen precision.
// e.g. loadModel(backend, parseModelRef('/models/editscope-facts'), { precision: 'q8' }).
// Not the tokenizer (transformers.js loads tokenizer.json from the same URLs).

import type { Backend } from '../backend';
import { loadCheckpoint } from '../../models/checkpoint';
import type { FetchOptions, ModelSource } from '../../models/hub';
import type { WeightPrecision } from '../../models/quantize';
import { uploadParams } from './params';
import { Transformer } from './transformer';

export interface LoadModelOptions extends FetchOptions {
  /** Precision of the embedding and Linear weights on the backend; default f32. Norms and biases stay f32. */
  precision?: WeightPrecision;
  /** Upload progress after the download: tensors done of total. */
  onUpload?: (done: number, total: number) => void;
}

export async function loadModel(
  backend: Backend,
  source: ModelSource,
  opts: LoadModelOptions = {},
): Promise<Transformer> {
  const { config, tensors } = await loadCheckpoint(source, opts);
  const params = await uploadParams(backend, config, tensors, opts.precision ?? 'f32', {
    signal: opts.signal,
    onProgress: opts.onUpload,
  });
  return new Transformer(backend, config, params);
}
