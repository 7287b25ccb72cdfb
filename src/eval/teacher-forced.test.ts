import { describe, expect, it } from 'vitest';
import { promptTarget, teacherForcedFromLogits } from './teacher-forced';

// A character encoder: BOS 0 before a prompt, one id per character code.
const encoder = {
  encode: (t: string) => Int32Array.from([0, ...[...t].map((c) => c.charCodeAt(0))]),
  encodeContinuation: (t: string) => Int32Array.from([...t].map((c) => c.charCodeAt(0))),
};

describe('teacher forcing', () => {
  it('joins prompt and target, adding the leading space only when the target lacks one', () => {
    expect(promptTarget(encoder, 'ab', 'c', 'm')).toEqual({
      ids: Int32Array.from([0, 97, 98, 32, 99]),
      targetLength: 2,
    });
    expect(promptTarget(encoder, 'ab', ' c', 'm')).toEqual(promptTarget(encoder, 'ab', 'c', 'm'));
    const empty = { ...encoder, encodeContinuation: () => new Int32Array(0) };
    expect(() => promptTarget(empty, 'ab', 'c', 'serac')).toThrow(/serac: target "c" encodes to no tokens/);
  });

  it('reads each target token from the position before it', () => {
    const seq = { ids: Int32Array.from([0, 5, 1, 2]), targetLength: 2 };
    const V = 3;
    // (T=4, V=3) logits whose argmax per row is 2, 0, 1, 2: positions 1 and 2 predict the target.
    const logits = Float32Array.from([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(teacherForcedFromLogits(logits, V, seq)).toEqual({
      target: Int32Array.from([1, 2]),
      predicted: Int32Array.from([0, 1]),
    });
  });
});
