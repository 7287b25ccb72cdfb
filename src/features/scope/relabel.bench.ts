// What one move of a Scope slider costs before React and the plots: relabelling 100 probes for both
// editors at a new gate. Run: npx vitest bench --project unit --run src/features/scope/relabel.bench.ts
import { bench } from 'vitest';
import { relabel, type RunProbe } from './relabel';

// 100 probes with seeded scores in [0, 1), best match this edit or another, fired at a run gate of 0.5.
let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const probes: RunProbe[] = Array.from({ length: 100 }, (_, i) => {
  const score = random();
  return {
    best: { id: i % 7 === 0 ? 'other' : 'e1', score },
    applied: score >= 0.5,
    answer: score >= 0.5 ? ' Rome.' : ' Paris.',
    base: ' Paris.',
  };
});

let gate = 0;
bench('relabel 100 probes for MEMOIR and SERAC at a new gate', () => {
  gate = (gate + 0.01) % 1;
  for (const p of probes) {
    relabel(p, gate, 'e1', 'new', ' Rome');
    relabel(p, gate, 'e1', 'old', ' Rome');
  }
});
