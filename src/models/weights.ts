// The check of a checkpoint against the parameter table the engine requires (src/engine/model/weights.ts):
// checking the whole table before uploading anything turns a wrong checkpoint into one LOAD error
// listing what is off. Not the upload itself (engine/model/params.ts decides precision and talks to the Backend).

import { EngineError } from '../engine/errors';
import type { ModelConfig } from '../engine/model/config';
import { LM_HEAD, parameterTable } from '../engine/model/weights';
import { sameShape } from '../engine/shapes';
import type { TensorReader } from '../engine/model/tensor-reader';

/** Throws one LOAD error naming up to 5 missing or mis-shaped tensors. */
export function checkWeights(cfg: ModelConfig, src: Pick<TensorReader, 'description' | 'shape'>): void {
  const problems: string[] = [];
  for (const [name, shape] of parameterTable(cfg)) {
    const got = src.shape(name);
    if (!got) problems.push(`missing "${name}" (${shape.join(', ')})`);
    else if (!sameShape(got, shape))
      problems.push(`"${name}" must be (${shape.join(', ')}), got (${got.join(', ')})`);
  }
  if (problems.length === 0) return;
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
  const tiedHint =
    !cfg.tieWordEmbeddings && problems.some((p) => p.includes(LM_HEAD))
      ? 'config says tie_word_embeddings=false but the checkpoint has no lm_head.weight; check config.json'
      : 'config.json and the safetensors files must come from the same checkpoint';
  throw new EngineError(
    'LOAD',
    `weights: ${src.description}: ${problems.slice(0, 5).join('; ')}${more}`,
    tiedHint,
  );
}
