// Loads a checkpoint's files from a ModelSource: config.json (+ optional generation_config.json) and
// the weights, either one `model.safetensors` or the shards listed in `model.safetensors.index.json`.
// Same code path for hub repos, the bundled `/models/<name>/` and Node tests (inject `fetch`).
// Not the upload to a backend (engine/model/load.ts) and not the tokenizer (transformers.js).

import { parseConfig, withGenerationConfig, type ModelConfig } from './config';
import {
  describeSource,
  fetchBytes,
  fetchJson,
  fetchOptionalBytes,
  fileUrl,
  type FetchOptions,
  type ModelSource,
} from './hub';
import { parseSafetensors, parseSafetensorsIndex, type SafetensorsFile } from './safetensors';
import { checkWeights, TensorSource } from './weights';

export interface Checkpoint {
  source: ModelSource;
  config: ModelConfig;
  tensors: TensorSource;
}

export async function loadCheckpoint(source: ModelSource, opts: FetchOptions = {}): Promise<Checkpoint> {
  const configJson = await fetchJson(source, 'config.json', opts);
  const generation = await fetchJson(source, 'generation_config.json', { ...opts, optional: true });
  const config = withGenerationConfig(parseConfig(configJson, fileUrl(source, 'config.json')), generation);

  const shards: SafetensorsFile[] = [];
  const single = await fetchOptionalBytes(source, 'model.safetensors', opts);
  if (single) {
    shards.push(parseSafetensors(single, fileUrl(source, 'model.safetensors')));
  } else {
    const indexFile = 'model.safetensors.index.json';
    const index = parseSafetensorsIndex(await fetchJson(source, indexFile, opts), fileUrl(source, indexFile));
    for (const file of [...new Set(index.values())].sort()) {
      shards.push(parseSafetensors(await fetchBytes(source, file, opts), fileUrl(source, file)));
    }
  }
  const tensors = new TensorSource(describeSource(source), shards);
  checkWeights(config, tensors);
  return { source, config, tensors };
}
