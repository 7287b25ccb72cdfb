// Loads a model from a hub repo id or a local base URL onto a Backend: config, then the weights
// streamed (with byte progress, cancellation, Cache API), each tensor converted and uploaded at the
// chosen precision as it arrives (checkpoint-stream.ts), so the file is never held whole.
// e.g. loadModel(backend, parseModelRef('/models/editscope-facts'), { precision: 'q8' }).
// Not the tokenizer (transformers.js loads tokenizer.json from the same URLs).

import type { Backend } from '../engine/backend';
import { openCheckpoint } from './checkpoint-stream';
import type { FetchOptions, ModelSource } from './hub';
import type { WeightPrecision } from '../engine/quantize';
import { freeParams, type ModelParams, uploadParams } from '../engine/model/params';
import { Transformer } from '../engine/model/transformer';

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
  const { config, tensors, finish, cancel } = await openCheckpoint(source, opts);
  let params: ModelParams | null = null;
  try {
    params = await uploadParams(backend, config, tensors, opts.precision ?? 'f32', {
      signal: opts.signal,
      onProgress: opts.onUpload,
    });
    await finish();
  } catch (e) {
    await cancel(e);
    if (params) freeParams(backend, params);
    throw e;
  }
  return new Transformer(backend, config, params);
}
