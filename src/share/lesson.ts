// Lesson links (`/lesson#lesson=2.…`): a teacher's edits, probes with the behaviour each should show, and
// a short note, through the same bounded, checksummed steps as edit-set links (codec.ts decodeLink) with
// their own schema here. Opening one never touches the stored edits (the Lesson view trains a scratch
// memory). Not the view, not the built-in lessons (lessons-builtin.ts).
import type { Expectation } from '../eval/expectation';
import { decodeLink, encodeLink, type LinkKind } from './codec';
import { checkLine, modelNameProblem, quote } from './text';
import { checkEdits, isRecord, MAX_MODEL_NAME, MAX_TEXT, unknownKey, type SharedEdit } from './validate';

export const LESSON_PARAM = 'lesson';
/** Where a lesson link opens. */
export const LESSON_PATH = '/lesson';
export const MAX_LESSON_EDITS = 10;
export const MAX_LESSON_PROBES = 40;
export const MAX_NOTE = 1000;
/** Every valid lesson fits: (2 × 10 + 40) texts × 500 UTF-16 units × ≤ 3 UTF-8 bytes + a 3,000-byte
 *  note is 93,000 bytes, plus the JSON around them. */
const MAX_LESSON_JSON_BYTES = 128 * 1024;

/** The Scope view's probe groups (features/scope/groups.ts ids). */
export const LESSON_GROUPS = ['reach', 'related', 'unrelated'] as const;
export type LessonGroup = (typeof LESSON_GROUPS)[number];

/** A probe and what the edited model should do on it: take the new answer, or keep the old one. */
export interface LessonProbe {
  readonly prompt: string;
  readonly group: LessonGroup;
  readonly expect: Expectation;
}

export interface Lesson {
  readonly kind: 'lesson';
  /** The model the lesson was written for (describeSource), e.g. "/models/editscope-facts". */
  readonly model: string;
  /** One line, possibly empty. */
  readonly note: string;
  readonly edits: readonly SharedEdit[];
  readonly probes: readonly LessonProbe[];
}

const LESSON_KEYS = ['version', 'kind', 'model', 'note', 'edits', 'probes'];
const PROBE_KEYS = ['prompt', 'group', 'expect'];

/** `value` as a lesson of link format `version`, or what is wrong with it (in reading order). */
export function toLesson(value: unknown, version: number): { value: Lesson } | { problems: string[] } {
  if (!isRecord(value)) return { problems: ['it does not hold a lesson'] };
  const problems: string[] = [];
  const extra = unknownKey(value, LESSON_KEYS);
  if (extra !== undefined) problems.push(`it has an unknown field ${quote(extra)}`);
  if (value.version !== version) problems.push(`version must be ${version}, got ${quote(value.version)}`);
  if (value.kind !== 'lesson') problems.push(`kind must be "lesson", got ${quote(value.kind)}`);
  const { model } = value;
  const modelProblem = typeof model === 'string' ? modelNameProblem(model, MAX_MODEL_NAME) : 'is not text';
  if (modelProblem) problems.push(`the model name ${modelProblem}`);
  const note = checkNote(value.note, problems);
  const edits = checkEdits(value.edits, MAX_LESSON_EDITS, problems);
  const probes = checkProbes(value.probes, problems);
  if (problems.length > 0) return { problems };
  return { value: { kind: 'lesson', model: model as string, note, edits, probes } };
}

/** An empty note is allowed; otherwise the rules of a prompt, longer. */
function checkNote(note: unknown, problems: string[]): string {
  if (note === '') return '';
  const checked = typeof note === 'string' ? checkLine(note, MAX_NOTE) : { problem: 'is not text' };
  if ('problem' in checked) problems.push(`the note ${checked.problem}`);
  return 'ok' in checked ? checked.ok : '';
}

function checkProbes(list: unknown, problems: string[]): LessonProbe[] {
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('probes must be a non-empty list');
    return [];
  }
  if (list.length > MAX_LESSON_PROBES) {
    problems.push(`it carries ${list.length} probes, more than the ${MAX_LESSON_PROBES} a lesson may carry`);
    return [];
  }
  return list.map((probe: unknown, i): LessonProbe => {
    const name = `probe ${i + 1}`;
    if (!isRecord(probe)) {
      problems.push(`${name} is not a prompt with a group and an expectation`);
      return { prompt: '', group: 'reach', expect: 'new' };
    }
    const extra = unknownKey(probe, PROBE_KEYS);
    if (extra !== undefined) problems.push(`${name} has an unknown field ${quote(extra)}`);
    const text = probe.prompt;
    const checked = typeof text === 'string' ? checkLine(text, MAX_TEXT) : { problem: 'is not text' };
    if ('problem' in checked) problems.push(`${name}'s prompt ${checked.problem}`);
    const group = LESSON_GROUPS.find((g) => g === probe.group);
    if (!group)
      problems.push(`${name}'s group must be one of ${LESSON_GROUPS.join(', ')}, got ${quote(probe.group)}`);
    const expect = probe.expect === 'new' || probe.expect === 'old' ? probe.expect : null;
    if (!expect) problems.push(`${name}'s expect must be "new" or "old", got ${quote(probe.expect)}`);
    return { prompt: 'ok' in checked ? checked.ok : '', group: group ?? 'reach', expect: expect ?? 'new' };
  });
}

const LESSON: LinkKind<Lesson> = {
  param: LESSON_PARAM,
  noun: 'lesson',
  these: 'this lesson',
  tooBigHint: 'shorten the note or the probes',
  maxJsonBytes: MAX_LESSON_JSON_BYTES,
  readsFormat1: false,
  check: toLesson,
};

/** The URL fragment (without '#') that carries `lesson`, with a checksum. */
export function encodeLesson(lesson: Lesson): Promise<string> {
  return encodeLink(LESSON, lesson);
}

/** The lesson in a URL fragment ('#lesson=…'); null when it carries none. Lessons exist only in
 *  format 2, so every lesson opened was checked against its checksum. */
export async function decodeLesson(fragment: string): Promise<Lesson | null> {
  return (await decodeLink(LESSON, fragment))?.value ?? null;
}
