// Loads a checkpoint's files from a ModelSource: config.json (+ optional generation_config.json) and
// the weights, either one `model.safetensors` or the shards listed in `model.safetensors.index.json`.
// Same code path for hub repos, the bundled `/models/<name>/` and Node tests (inject `fetch`).
// Not the upload to a backend (src/models/load.ts) and not the tokenizer (transformers.js).

import { parseConfig, withGenerationConfig } from './config';
import { type ModelConfig } from '../engine/model/config';
import { describeSource, fetchDecoded, fetchJson, fileUrl, type FetchOptions, type ModelSource } from './hub';
import { parseSafetensors, parseSafetensorsIndex, type SafetensorsFile } from './safetensors';
import { checkWeights, TensorSource } from './weights';

export interface Checkpoint {
  source: ModelSource;
  config: ModelConfig;
  tensors: TensorSource;
}

/** config.json (+ optional generation_config.json), parsed: the first files a load reads, so a repo
 *  that is missing, gated or of an unsupported architecture fails here, before anything else. */
export async function loadConfig(source: ModelSource, opts: FetchOptions = {}): Promise<ModelConfig> {
  const configJson = await fetchJson(source, 'config.json', opts);
  const generation = await fetchJson(source, 'generation_config.json', { ...opts, optional: true });
  return withGenerationConfig(parseConfig(configJson, fileUrl(source, 'config.json')), generation);
}

export async function loadCheckpoint(source: ModelSource, opts: FetchOptions = {}): Promise<Checkpoint> {
  const config = await loadConfig(source, opts);
  // Each file is parsed (and so checked) before the hub cache stores it.
  const shards: SafetensorsFile[] = [];
  const single = await fetchDecoded(source, 'model.safetensors', parseSafetensors, {
    ...opts,
    optional: true,
  });
  if (single) shards.push(single);
  else shards.push(...(await fetchShards(source, opts)));
  const tensors = new TensorSource(describeSource(source), shards);
  checkWeights(config, tensors);
  return { source, config, tensors };
}

/** The shards `model.safetensors.index.json` lists, each read whole and checked. */
export async function fetchShards(source: ModelSource, opts: FetchOptions = {}): Promise<SafetensorsFile[]> {
  const indexFile = 'model.safetensors.index.json';
  const index = parseSafetensorsIndex(await fetchJson(source, indexFile, opts), fileUrl(source, indexFile));
  const shards: SafetensorsFile[] = [];
  for (const file of [...new Set(index.values())].sort()) {
    shards.push(await fetchDecoded(source, file, parseSafetensors, opts));
  }
  return shards;
}
