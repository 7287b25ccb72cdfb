import { describe, expect, it } from 'vitest';
import { memoirRunProbe, relabel, seracRunProbe, tally, type RunProbe } from './relabel';
import type { ScopeProbe } from '../../worker/protocol';

const probe = (score: number, applied: boolean, answer: string, id = 'e1'): RunProbe => ({
  best: { id, score },
  applied,
  answer,
  base: ' Paris.',
});

describe('relabel a scope probe at another gate', () => {
  it('keeps the run answer while the routing is unchanged', () => {
    // Fired at the run's gate (0.5), still fires at 0.6.
    expect(relabel(probe(0.7, true, ' Rome.'), 0.6, 'e1', 'new', ' Rome')).toEqual({
      routed: 'this',
      answer: ' Rome.',
      ok: true,
    });
    // Did not fire, still does not.
    expect(relabel(probe(0.3, false, ' Paris.'), 0.4, 'e1', 'old', ' Rome')).toEqual({
      routed: 'none',
      answer: ' Paris.',
      ok: true,
    });
  });

  it('answers as the base model once the gate is above the score', () => {
    const label = relabel(probe(0.7, true, ' Rome.'), 0.71, 'e1', 'new', ' Rome');
    expect(label).toEqual({ routed: 'none', answer: ' Paris.', ok: false });
  });

  it('fires at a score equal to the gate, as both routers decide (>=)', () => {
    expect(relabel(probe(0.5, false, ' Paris.'), 0.5, 'e1', 'old', ' Rome').routed).toBe('this');
  });

  it('has no answer where the gate newly fires: it was never computed', () => {
    const label = relabel(probe(0.3, false, ' Paris.'), 0.2, 'e1', 'old', ' Rome');
    expect(label).toEqual({ routed: 'this', answer: null, ok: null });
  });

  it('names another stored edit as the route when it is the best match', () => {
    const label = relabel(probe(0.8, true, ' Berlin.', 'e2'), 0.5, 'e1', 'old', ' Rome');
    expect(label).toEqual({ routed: 'other', answer: ' Berlin.', ok: false });
  });

  it('never fires without stored edits', () => {
    const none: RunProbe = { best: null, applied: false, answer: ' Paris.', base: ' Paris.' };
    expect(relabel(none, 0, 'e1', 'old', ' Rome')).toEqual({
      routed: 'none',
      answer: ' Paris.',
      ok: true,
    });
  });

  it('counts labels as expected and not known', () => {
    const labels = [0.1, 0.5, 0.9].map((gate) =>
      relabel(probe(0.5, true, ' Rome.'), gate, 'e1', 'new', ' Rome'),
    );
    expect(tally(labels)).toEqual({ ok: 2, unknown: 0 });
    expect(tally([relabel(probe(0.3, false, ' Paris.'), 0.2, 'e1', 'old', ' Rome')])).toEqual({
      ok: 0,
      unknown: 1,
    });
  });

  it('reads MEMOIR and SERAC probes alike', () => {
    const p: ScopeProbe = {
      prompt: 'The capital of France is',
      overlap: 0.6,
      routing: { tau: 0.5, best: { id: 'e1', prompt: 'p', target: ' Rome', overlap: 0.8 }, applied: true },
      base: ' Paris.',
      edited: ' Rome.',
    };
    // The best edit's overlap decides firing, not this edit's (here the same edit, a larger value).
    expect(memoirRunProbe(p)).toEqual({
      best: { id: 'e1', score: 0.8 },
      applied: true,
      answer: ' Rome.',
      base: ' Paris.',
    });
    const s = seracRunProbe(
      {
        prompt: p.prompt,
        score: 0.9,
        routing: {
          threshold: 0.5,
          best: { id: 'e1', prompt: 'p', target: ' Rome', score: 0.9 },
          applied: true,
        },
        answer: ' Rome',
      },
      ' Paris.',
    );
    expect(s).toEqual({ best: { id: 'e1', score: 0.9 }, applied: true, answer: ' Rome', base: ' Paris.' });
  });
});
