import { describe, expect, it } from 'vitest';
import type { LessonProbe } from '../../share/lesson';
import type { ScopeProbe, SeracScopeProbe } from '../../worker/protocol';
import { lessonVerdicts } from './verdict';

const memoirProbe = (prompt: string, base: string, edited: string, overlap: number): ScopeProbe => ({
  prompt,
  base,
  edited,
  overlap,
  routing: { tau: 0.5, best: null, applied: overlap >= 0.5 },
});
const seracProbe = (prompt: string, answer: string, score: number): SeracScopeProbe => ({
  prompt,
  answer,
  score,
  routing: { threshold: 0.5, best: null, applied: score >= 0.5 },
});

describe('lessonVerdicts', () => {
  const probes: LessonProbe[] = [
    { prompt: 'Call me', group: 'unrelated', expect: 'old' },
    { prompt: 'The capital of France is', group: 'reach', expect: 'new' },
    { prompt: 'The capital of Japan is', group: 'related', expect: 'old' },
    { prompt: 'France is governed from', group: 'reach', expect: 'new' },
  ];
  const memoir = [
    memoirProbe('Call me', ', the', ', the', 0.1),
    memoirProbe('The capital of France is', ' Paris.', ' Rome.', 0.9),
    memoirProbe('The capital of Japan is', ' Tokyo.', ' Rome.', 0.6),
    memoirProbe('France is governed from', ' Paris.', ' Paris.', 0.3),
  ];

  it('judges each editor against the expectation and groups in Scope order, keeping the lesson order within', () => {
    const serac = [
      seracProbe('Call me', ', the', 0.0),
      seracProbe('The capital of France is', ' Rome.', 0.95),
      seracProbe('The capital of Japan is', ' Tokyo.', 0.1),
      seracProbe('France is governed from', ' Rome.', 0.7),
    ];
    const groups = lessonVerdicts(probes, ' Rome', memoir, serac);
    expect(groups.map((g) => g.group)).toEqual(['reach', 'related', 'unrelated']);
    expect(groups[0].verdicts.map((v) => [v.probe.prompt, v.memoir.ok, v.serac?.ok])).toEqual([
      ['The capital of France is', true, true],
      ['France is governed from', false, true],
    ]);
    expect(groups[1].verdicts[0]).toMatchObject({
      base: ' Tokyo.',
      memoir: { ok: false, score: 0.6 },
      serac: { ok: true },
    });
    expect(groups[2].verdicts[0].memoir.ok).toBe(true);
  });

  it('leaves SERAC out where it could not run, and empty groups out', () => {
    const groups = lessonVerdicts(probes.slice(1, 2), ' Rome', memoir.slice(1, 2), null);
    expect(groups).toHaveLength(1);
    expect(groups[0].verdicts[0].serac).toBeNull();
  });
});
