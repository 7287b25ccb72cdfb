// The one way a prompt and its target become a token sequence, and the one way a model's logits over that
// sequence become teacher-forced predictions. MEMOIR trains on these sequences and both editors answer
// the evaluation through them, so Rel/Gen/Loc of MEMOIR and SERAC read the same positions.

import { EngineError } from '../engine/errors';
import { argmax } from '../engine/model/generate';
import type { TeacherForced } from './method';

/** ids = prompt ++ target; the target is the last `targetLength` tokens. */
export interface PromptTarget {
  readonly ids: Int32Array;
  readonly targetLength: number;
}

/** The prompt's ids (with special tokens) then the target's, the target encoded as a continuation with
 *  its leading space, as benchmark targets are written (" Paris"). `owner` names the caller in errors. */
export function promptTarget(
  encoder: { encode(text: string): Int32Array; encodeContinuation(text: string): Int32Array },
  prompt: string,
  target: string,
  owner: string,
): PromptTarget {
  const ctx = encoder.encode(prompt);
  const tgt = encoder.encodeContinuation(/^\s/.test(target) ? target : ` ${target}`);
  if (tgt.length === 0) throw new EngineError('SHAPE', `${owner}: target "${target}" encodes to no tokens`);
  const ids = new Int32Array(ctx.length + tgt.length);
  ids.set(ctx);
  ids.set(tgt, ctx.length);
  return { ids, targetLength: tgt.length };
}

/** The argmax at each target position of `seq`, from its (T, V) logits: position t predicts token t + 1,
 *  so the first target token is predicted at the last prompt token. */
export function teacherForcedFromLogits(logits: Float32Array, V: number, seq: PromptTarget): TeacherForced {
  const start = seq.ids.length - seq.targetLength;
  const predicted = new Int32Array(seq.targetLength);
  for (let i = 0; i < seq.targetLength; i++) {
    const row = (start - 1 + i) * V;
    predicted[i] = argmax(logits.subarray(row, row + V));
  }
  return { target: seq.ids.slice(start), predicted };
}
