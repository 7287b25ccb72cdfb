// The edit-set schema a share link carries, checked field by field on a parsed value: exactly the known
// fields, bounded counts and lengths, the text rules of text.ts. Returns a fresh, NFC-normalised set or
// the list of problems; the codec turns those into a message for whoever is sharing or opening.
import { checkLine, modelNameProblem, quote } from './text';

export interface SharedEdit {
  readonly prompt: string;
  readonly target: string;
}

/** What a link carries: the edits in the order they were made, and the model they were made on. */
export interface SharedEditSet {
  readonly method: 'memoir';
  /** The model the edits were made on (describeSource), e.g. "/models/editscope-facts". */
  readonly model: string;
  readonly edits: readonly SharedEdit[];
}

/** Bounds that keep a link openable and its import finite. */
export const MAX_SHARED_EDITS = 200;
export const MAX_TEXT = 500;
export const MAX_MODEL_NAME = 200;

const SET_KEYS = ['version', 'method', 'model', 'edits'];
const EDIT_KEYS = ['prompt', 'target'] as const;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const unknownKey = (record: Record<string, unknown>, known: readonly string[]) =>
  Object.keys(record).find((key) => !known.includes(key));

/** `value` as an edit set of link format `version`, or what is wrong with it (in reading order). */
export function toEditSet(value: unknown, version: number): { set: SharedEditSet } | { problems: string[] } {
  if (!isRecord(value)) return { problems: ['it does not hold an edit set'] };
  const problems: string[] = [];
  const extra = unknownKey(value, SET_KEYS);
  if (extra !== undefined) problems.push(`it has an unknown field ${quote(extra)}`);
  if (value.version !== version) problems.push(`version must be ${version}, got ${quote(value.version)}`);
  if (value.method !== 'memoir') problems.push(`method must be "memoir", got ${quote(value.method)}`);
  const { model } = value;
  const modelProblem = typeof model === 'string' ? modelNameProblem(model, MAX_MODEL_NAME) : 'is not text';
  if (modelProblem) problems.push(`the model name ${modelProblem}`);

  const edits = checkEdits(value.edits, MAX_SHARED_EDITS, problems);
  return problems.length > 0 ? { problems } : { set: { method: 'memoir', model: model as string, edits } };
}

/** `list` as at most `max` edits (fresh, NFC), each problem pushed onto `problems` in reading order. */
export function checkEdits(list: unknown, max: number, problems: string[]): SharedEdit[] {
  const edits: SharedEdit[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('edits must be a non-empty list');
  } else if (list.length > max) {
    problems.push(`it carries ${list.length} edits, more than the ${max} a link may carry`);
  } else {
    list.forEach((edit: unknown, i: number) => {
      const name = `edit ${i + 1}`;
      if (!isRecord(edit)) return problems.push(`${name} is not a prompt and an answer`);
      const extraField = unknownKey(edit, EDIT_KEYS);
      if (extraField !== undefined) problems.push(`${name} has an unknown field ${quote(extraField)}`);
      const [prompt, target] = EDIT_KEYS.map((field) => {
        const text = edit[field];
        const checked = typeof text === 'string' ? checkLine(text, MAX_TEXT) : { problem: 'is not text' };
        if ('problem' in checked)
          problems.push(`${name}'s ${field === 'prompt' ? 'prompt' : 'answer'} ${checked.problem}`);
        return 'ok' in checked ? checked.ok : '';
      });
      edits.push({ prompt, target });
    });
  }
  return edits;
}
