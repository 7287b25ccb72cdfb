import { describe, expect, it } from 'vitest';
import { decodeLesson, encodeLesson } from './lesson';
import { BUILT_IN_LESSONS } from './lessons-builtin';

describe('built-in lessons', () => {
  it('has the four lessons the welcome links to, each hash decoding to its lesson', async () => {
    expect(BUILT_IN_LESSONS.map((l) => l.id)).toEqual([
      'paraphrases',
      'same-relation',
      'same-subject',
      'general-text',
    ]);
    for (const { id, hash, lesson } of BUILT_IN_LESSONS) {
      // On a mismatch, the message names the hash the lesson encodes to now.
      const fresh = (await encodeLesson(lesson)).slice('lesson='.length);
      expect(await decodeLesson(`#lesson=${hash}`), `${id}: its hash should be ${fresh}`).toEqual(lesson);
    }
  });
});
