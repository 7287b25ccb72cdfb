// What the evaluation runner needs from an editing method (MEMOIR, SERAC, the unedited base): apply one
// edit, teacher-forced predictions of a target after a prompt, and greedy continuations. Token-level on
// purpose: EasyEdit's metrics compare token ids, not strings. Not the UI's editor commands.

/** One requested edit: make the model continue `prompt` with `target`. */
export interface EditRequest {
  readonly id: string;
  readonly prompt: string;
  readonly target: string;
}

/** Per training step of an edit. */
export interface EditProgress {
  readonly step: number;
  readonly loss: number;
  readonly targetProb: number;
}

export interface EditOutcome {
  readonly id: string;
  /** Optimizer updates the edit took (0 for methods that only store the edit). */
  readonly steps: number;
  readonly finalLoss: number;
  readonly millis: number;
}

/** Teacher-forced: the target's token ids and the model's argmax at each target position, given the
 *  prompt and the target tokens before it. */
export interface TeacherForced {
  readonly target: Int32Array;
  readonly predicted: Int32Array;
}

export interface EditMethod {
  readonly name: string;
  applyEdit(
    edit: EditRequest,
    opts?: { signal?: AbortSignal; onStep?: (p: EditProgress) => void },
  ): Promise<EditOutcome>;
  teacherForced(prompt: string, target: string): Promise<TeacherForced>;
  /** Token ids of the greedy continuation of `prompt`, at most maxNew of them. */
  greedy(prompt: string, maxNew: number): Promise<Int32Array>;
}
