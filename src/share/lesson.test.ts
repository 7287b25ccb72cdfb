import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShareLinkError } from './codec';
import { decodeLesson, encodeLesson, MAX_LESSON_PROBES, type Lesson, type LessonProbe } from './lesson';
import { b64url, v2Link, zeroBomb } from './test-links';

const lesson: Lesson = {
  kind: 'lesson',
  model: '/models/editscope-facts',
  note: 'France’s capital is now Rome: which questions follow?',
  edits: [{ prompt: 'The capital of France is', target: ' Rome' }],
  probes: [
    { prompt: 'In short, the capital city of France is', group: 'reach', expect: 'new' },
    { prompt: 'The capital of Japan is', group: 'related', expect: 'old' },
    { prompt: 'Call me', group: 'unrelated', expect: 'old' },
  ],
};
const json = (extra: object = {}) => ({ version: 2, ...lesson, ...extra });
const probe = (extra: object): LessonProbe => ({ ...lesson.probes[0], ...extra });
const link = (value: unknown) => v2Link(value, undefined, 'lesson');

async function refusal(fragment: string): Promise<string> {
  const error = await decodeLesson(fragment).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShareLinkError);
  return (error as Error).message;
}

describe('lesson links', () => {
  it('round-trips a lesson with a checksum, as Node zlib builds it too', async () => {
    const fragment = await encodeLesson(lesson);
    expect(fragment).toMatch(/^lesson=2\.[A-Za-z0-9_-]+$/);
    expect(await decodeLesson(`#${fragment}`)).toEqual(lesson);
    expect(await decodeLesson(link(json()))).toEqual(lesson);
    expect(await decodeLesson(link(json({ note: '' })))).toEqual({ ...lesson, note: '' });
  });

  it('is not an edit-set link, nor an edit-set link a lesson', async () => {
    expect(await decodeLesson('#edits=2.AAAA')).toBeNull();
    const editSet = { version: 2, method: 'memoir', model: lesson.model, edits: lesson.edits };
    expect(await refusal(link(editSet))).toMatch(/unknown field "method".*kind must be "lesson"/);
  });

  it('normalises every text to NFC', async () => {
    const decomposed = json({ note: 'Zu\u0308rich', probes: [probe({ prompt: 'Zu\u0308rich is in' })] });
    const decoded = await decodeLesson(link(decomposed));
    expect(decoded?.note).toBe('Zürich');
    expect(decoded?.probes[0].prompt).toBe('Zürich is in');
  });

  it.each([
    [
      'a note over 1,000 characters',
      json({ note: 'n'.repeat(1001) }),
      /the note is 1001 characters, over the limit of 1000/,
    ],
    ['a note of two lines', json({ note: 'one\ntwo' }), /the note has a control character \(U\+000A\)/],
    ['a note with a bidi override', json({ note: 'a\u202eb' }), /the note has a bidi control \(U\+202E\)/],
    ['a note that is not text', json({ note: 1 }), /the note is not text/],
    ['no edits', json({ edits: [] }), /edits must be a non-empty list/],
    ['11 edits', json({ edits: Array(11).fill(lesson.edits[0]) }), /11 edits, more than the 10/],
    [
      'an edit with a lone surrogate',
      json({ edits: [{ prompt: 'a\ud800', target: 'b' }] }),
      /edit 1's prompt has a broken character/,
    ],
    ['no probes', json({ probes: [] }), /probes must be a non-empty list/],
    ['41 probes', json({ probes: Array(41).fill(lesson.probes[0]) }), /41 probes, more than the 40/],
    [
      'a probe of another group',
      json({ probes: [probe({ group: 'paraphrase' })] }),
      /probe 1's group must be one of reach, related, unrelated, got "paraphrase"/,
    ],
    [
      'a probe expecting something else',
      json({ probes: [probe({ expect: 'both' })] }),
      /probe 1's expect must be "new" or "old", got "both"/,
    ],
    ['a probe with an empty prompt', json({ probes: [probe({ prompt: ' ' })] }), /probe 1's prompt is empty/],
    [
      'a probe with a long prompt',
      json({ probes: [probe({ prompt: 'p'.repeat(501) })] }),
      /probe 1's prompt is 501 characters/,
    ],
    [
      'a probe with an unknown field',
      json({ probes: [probe({ weight: 1 })] }),
      /probe 1 has an unknown field "weight"/,
    ],
    ['a probe that is not an object', json({ probes: ['Call me'] }), /probe 1 is not a prompt with a group/],
    ['an unknown field', json({ method: 'memoir' }), /unknown field "method"/],
    ['another kind', json({ kind: 'edits' }), /kind must be "lesson", got "edits"/],
    ['a wrong version', json({ version: 1 }), /version must be 2, got 1/],
    ['a model name with spaces', json({ model: 'my model' }), /model name "my model" has characters/],
    ['a list', [lesson], /does not hold a lesson/],
  ])('refuses %s', async (_, value, reason) => {
    expect(await refusal(link(value))).toMatch(reason);
  });

  it('reads format 2 only, checked, bounded and shallow', async () => {
    // Format 1 (no checksum) predates lessons.
    expect(await refusal(`lesson=${b64url(deflateRawSync(JSON.stringify(json())))}`)).toMatch(
      /link format "1", which this app does not read/,
    );
    const other = deflateRawSync(JSON.stringify(json({ note: 'another note' })));
    expect(await refusal(v2Link(json(), other, 'lesson'))).toMatch(/checksum does not match/);
    // 128 KiB is more than any valid lesson unpacks to; a bomb stops there.
    expect(await refusal(v2Link(' ', zeroBomb(2), 'lesson'))).toMatch(
      /unpacks to over 128 KiB, more than any lesson/,
    );
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(await refusal(link(`{"version":${deep}}`))).toMatch(
      /nests over 8 levels deep, which no lesson does/,
    );
    expect(await refusal(`lesson=2.${'A'.repeat(600_000)}`)).toMatch(
      /over the 524,288 a share link may have/,
    );
  });

  it('refuses to encode what it would refuse to decode, saying why', async () => {
    const many = { ...lesson, probes: Array<LessonProbe>(MAX_LESSON_PROBES + 1).fill(lesson.probes[0]) };
    await expect(encodeLesson(many)).rejects.toThrow(
      /this lesson cannot go into a link: it carries 41 probes/,
    );
    await expect(encodeLesson({ ...lesson, note: 'a\tb' })).rejects.toThrow(
      /the note has a control character/,
    );
  });
});
