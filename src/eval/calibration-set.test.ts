// The shipped calibration set and the held-out unseen-phrasings file: they parse, have the structure the
// editors' calibration needs, and share no phrasing template with the foundry/benchmark or each other.
// Also the parser's errors and unrelatedTo on a tiny inline set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/errors';
import { parseCalibrationSet, unrelatedTo, type CalibrationSet } from './calibration-set';
import { parseRecords, type BenchRecord } from './records';

const root = join(import.meta.dirname, '..', '..');
const json = (...path: string[]): unknown => JSON.parse(readFileSync(join(root, ...path), 'utf8'));
const set = parseCalibrationSet(json('public', 'calibration', 'calibration-set.json'));
const benchmark = parseRecords(json('public', 'benchmarks', 'facts-edits.json'), 'facts-edits.json');
const unseen = parseRecords(json('bench', 'data', 'unseen-phrasings.json'), 'unseen-phrasings.json');
const background = json('public', 'benchmarks', 'background-prompts.json') as string[];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const normal = (s: string) =>
  s
    .trim()
    .replace(/[?.:!]+$/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
const templateOf = (prompt: string, subject: string) => normal(prompt.split(subject).join('{s}'));

/** "prompt <- template" for every prompt that IS one of `templates` (with any subject) or ends in one
 *  behind leading words, as the foundry's lead-ins do ("The jury said, the capital of France is"). */
function collisions(prompts: readonly string[], templates: readonly string[]): string[] {
  const found: string[] = [];
  for (const t of new Set(templates)) {
    const re = new RegExp(`(?:^|[\\s,])${escape(t).replace('\\{s\\}', '.+')}$`);
    for (const p of prompts) if (re.test(normal(p))) found.push(`"${p}" <- "${t}"`);
  }
  return found;
}

// The foundry's templates as py/facts.py writes them (what the bundled model was trained and tested on),
// plus those of every benchmark record, in case the file was built from templates since changed.
const factsPy = readFileSync(join(root, 'tools', 'foundry', 'py', 'facts.py'), 'utf8');
const foundry = {
  templates: [
    ...[...factsPy.matchAll(/"([^"]*\{s\}[^"]*) \{o\}"/g)].map((m) => normal(m[1])),
    ...benchmark.flatMap((r) => [r.prompt, ...r.rephrases].map((p) => templateOf(p, r.subject))),
  ],
  prompts: benchmark.flatMap((r) => [
    r.prompt,
    ...r.rephrases,
    ...r.locality.filter((l) => l.kind === 'fact').map((l) => l.prompt),
    ...(r.neighborhood ?? []).map((n) => n.prompt),
  ]),
};
const calibration = {
  templates: set.facts.flatMap((f) => [f.prompt, ...f.paraphrases].map((p) => templateOf(p, f.subject))),
  prompts: set.facts.flatMap((f) => [f.prompt, ...f.paraphrases]),
};
const held = {
  templates: unseen.flatMap((r) => [r.prompt, ...r.rephrases].map((p) => templateOf(p, r.subject))),
  prompts: unseen.flatMap((r: BenchRecord) => [
    r.prompt,
    ...r.rephrases,
    ...r.locality.filter((l) => l.kind === 'fact').map((l) => l.prompt),
    ...(r.neighborhood ?? []).map((n) => n.prompt),
  ]),
};

describe('template disjointness', () => {
  it('the check finds a template used as is or behind leading words, and nothing else', () => {
    const prompts = [
      'The capital of France is',
      'Indeed, the capital of Peru is',
      'France has its capital in',
    ];
    expect(collisions(prompts, ['the capital of {s} is'])).toEqual([
      '"The capital of France is" <- "the capital of {s} is"',
      '"Indeed, the capital of Peru is" <- "the capital of {s} is"',
    ]);
  });

  it('found the foundry templates (8 relations x 8) and the other sets', () => {
    expect(new Set(foundry.templates).size).toBeGreaterThanOrEqual(64);
    expect(new Set(calibration.templates).size).toBeGreaterThanOrEqual(8 * 5);
    expect(new Set(held.templates).size).toBe(8 * 4);
  });

  it('no calibration phrasing is a foundry/benchmark template, nor the other way round', () => {
    expect(collisions(calibration.prompts, foundry.templates)).toEqual([]);
    expect(collisions(foundry.prompts, calibration.templates)).toEqual([]);
  });

  it('no unseen phrasing is a foundry/benchmark or calibration template, nor the other way round', () => {
    expect(collisions(held.prompts, foundry.templates)).toEqual([]);
    expect(collisions(foundry.prompts, held.templates)).toEqual([]);
    expect(collisions(held.prompts, calibration.templates)).toEqual([]);
    expect(collisions(calibration.prompts, held.templates)).toEqual([]);
  });
});

describe('shipped calibration set', () => {
  it('has 8 relations of 12 subjects, 4+ paraphrases each, subjects with several relations', () => {
    expect(set.id).toBe('editscope-calibration-v1');
    const perRelation = new Map<string, number>();
    for (const f of set.facts) perRelation.set(f.relation, (perRelation.get(f.relation) ?? 0) + 1);
    expect([...perRelation.values()]).toEqual(Array(8).fill(12));
    expect(new Set(set.facts.map((f) => f.id)).size).toBe(set.facts.length);
    for (const f of set.facts) {
      expect(f.paraphrases.length).toBeGreaterThanOrEqual(4);
      expect(new Set([f.prompt, ...f.paraphrases]).size).toBe(1 + f.paraphrases.length);
      // A phrasing that contains its own answer gives it away.
      const answer = new RegExp(`\\b${escape(f.answer)}\\b`);
      for (const p of [f.prompt, ...f.paraphrases]) expect(p, f.id).not.toMatch(answer);
    }
    const multi = set.facts.filter((f) => unrelatedTo(set, f).sameSubject.length > 0);
    expect(multi.length).toBeGreaterThanOrEqual(set.facts.length / 2);
  });

  it('has general text that is not one of the benchmark windows', () => {
    expect(set.text.length).toBeGreaterThanOrEqual(50);
    expect(new Set(set.text).size).toBe(set.text.length);
    const windows = [
      ...background,
      ...benchmark.flatMap((r) => r.locality.filter((l) => l.kind === 'text').map((l) => l.prompt)),
    ];
    const overlapping = set.text.filter((t) => windows.some((w) => w.startsWith(t) || t.startsWith(w)));
    expect(overlapping).toEqual([]);
  });
});

describe('unseen-phrasings records', () => {
  it("are the benchmark's first 100 test records with their targets, in new phrasings", () => {
    expect(unseen.length).toBe(100);
    unseen.forEach((r, i) => {
      const b = benchmark[i];
      expect([r.id, r.subject, r.relation, r.target_true, r.target_new]).toEqual([
        b.id,
        b.subject,
        b.relation,
        b.target_true,
        b.target_new,
      ]);
      expect(r.rephrases.length).toBe(b.rephrases.length);
      expect(r.locality.map((l) => [l.answer, l.kind])).toEqual(b.locality.map((l) => [l.answer, l.kind]));
      expect(r.locality.filter((l) => l.kind === 'text')).toEqual(
        b.locality.filter((l) => l.kind === 'text'),
      );
      expect(r.neighborhood?.map((n) => n.answer)).toEqual(b.neighborhood?.map((n) => n.answer));
    });
  });
});

describe('parseCalibrationSet', () => {
  const fact = (relation: string, subject: string) => ({
    id: `${relation}/${subject}`,
    relation,
    subject,
    answer: 'x',
    prompt: `${subject} ${relation} is`,
    paraphrases: [`q ${subject}?`, `s ${subject}`, `c ${subject}`],
  });

  it('names every problem in one LOAD error', () => {
    const bad = {
      id: 'v',
      facts: [fact('r', 'A'), { ...fact('r', 'A'), answer: ' x', paraphrases: ['only one'] }],
      text: [],
    };
    const err = (() => {
      try {
        parseCalibrationSet(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('LOAD');
    const message = (err as EngineError).message;
    expect(message).toContain('facts[1].paraphrases must be an array of at least 3 strings, got array of 1');
    expect(message).toContain('facts[1].answer must have no leading or trailing space');
    expect(message).toContain('facts[1].id "r/A" appears twice');
    expect(message).toContain('text must be an array of at least 1 strings');
    expect(() => parseCalibrationSet([])).toThrow(/must be an object/);
  });

  it('unrelatedTo: same relation other subjects, same subject other relations, and the text', () => {
    const small: CalibrationSet = parseCalibrationSet({
      id: 'v',
      facts: [fact('capital', 'A'), fact('capital', 'B'), fact('currency', 'A'), fact('currency', 'C')],
      text: ['some text'],
    });
    const got = unrelatedTo(small, small.facts[0]);
    expect(got.sameRelation).toEqual(['B capital is', 'q B?', 's B', 'c B']);
    expect(got.sameSubject).toEqual(['A currency is', 'q A?', 's A', 'c A']);
    expect(got.text).toEqual(['some text']);
  });
});
