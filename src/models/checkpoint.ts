// What a checkpoint is made of before any weight is read: config.json (+ optional
// generation_config.json), and for a sharded one the shard files `model.safetensors.index.json` names,
// with its weight_map checked against the shards' headers. Same code for hub repos, the bundled
// `/models/<name>/` and Node tests (inject `fetch`). Not the reading of the weights
// (checkpoint-stream.ts) and not the tokenizer (transformers.js).

import { EngineError } from '../engine/errors';
import { parseConfig, withGenerationConfig } from './config';
import { type ModelConfig } from '../engine/model/config';
import { fetchJson, fileUrl, type FetchOptions, type ModelSource } from './hub';
import { parseSafetensorsIndex, type SafetensorsEntry } from './safetensors';

/** config.json (+ optional generation_config.json), parsed: the first files a load reads, so a repo
 *  that is missing, gated or of an unsupported architecture fails here, before anything else. */
export async function loadConfig(source: ModelSource, opts: FetchOptions = {}): Promise<ModelConfig> {
  const configJson = await fetchJson(source, 'config.json', opts);
  const generation = await fetchJson(source, 'generation_config.json', { ...opts, optional: true });
  return withGenerationConfig(parseConfig(configJson, fileUrl(source, 'config.json')), generation);
}

export const SINGLE_FILE = 'model.safetensors';
const INDEX_FILE = 'model.safetensors.index.json';

export interface ShardIndex {
  url: string;
  /** tensor name → shard file */
  weightMap: Map<string, string>;
  /** The shard files, in the order they are read (by name: model-00001-of-0000n first). */
  files: string[];
}

export async function loadShardIndex(source: ModelSource, opts: FetchOptions = {}): Promise<ShardIndex> {
  const url = fileUrl(source, INDEX_FILE);
  const weightMap = parseSafetensorsIndex(await fetchJson(source, INDEX_FILE, opts), url);
  return { url, weightMap, files: [...new Set(weightMap.values())].sort() };
}

/** Refuses shards whose headers disagree with the index (one LOAD error naming up to 5 tensors): a
 *  tensor the weight_map lists that its shard lacks, a tensor in two shards, or one in a shard the
 *  weight_map does not put it in. `headers[i]` is the header of `index.files[i]`. */
export function checkShardIndex(index: ShardIndex, headers: readonly Map<string, SafetensorsEntry>[]): void {
  const problems: string[] = [];
  const holder = new Map<string, string>(); // tensor → first shard whose header has it
  index.files.forEach((file, i) => {
    for (const name of headers[i].keys()) {
      const listed = index.weightMap.get(name);
      const other = holder.get(name);
      if (other) problems.push(`"${name}" is in both ${other} and ${file}`);
      else if (listed === undefined) problems.push(`"${name}" is in ${file} but not in the weight_map`);
      else if (listed !== file)
        problems.push(`"${name}" is in ${file} but the weight_map puts it in ${listed}`);
      holder.set(name, other ?? file);
    }
  });
  for (const [name, file] of index.weightMap)
    if (!holder.has(name)) problems.push(`"${name}" is missing from ${file}, where the weight_map puts it`);
  if (problems.length === 0) return;
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
  throw new EngineError(
    'LOAD',
    `safetensors: ${index.url}: the weight_map and the shards' headers disagree: ${problems.slice(0, 5).join('; ')}${more}`,
    'the index and its shards must come from the same checkpoint (one revision); download them again',
  );
}
